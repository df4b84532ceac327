from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages built outside a request are read in English here."""
    with translation.override("en"):
        yield

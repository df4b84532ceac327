from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English (the catalogue test covers the Chinese ones)."""
    with translation.override("en"):
        yield

from collections.abc import Iterator

import pytest

from wuwei.core import config


@pytest.fixture(autouse=True)
def _fresh_method_config() -> Iterator[None]:
    # The parsed configuration is cached per stored version; tests that store version 1
    # with different contents must not see each other's.
    config._parsed.cache_clear()
    yield
    config._parsed.cache_clear()

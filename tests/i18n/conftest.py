import pytest

from tests.i18n.pages import build_walk_city


@pytest.fixture
def walk_city(city):
    """The ``city`` with something on every page (see tests/i18n/pages.py)."""
    return build_walk_city(city)

"""Pages of the JSON API, open data and the Excel round trip."""

from tests.i18n.entries import Page

PAGES: dict[str, Page] = {}


def build(city) -> None:
    """Objects these pages need in the walk city (none yet)."""

"""Pages of the annual cycle: plans by year, next year's plan, bureau submissions."""

from tests.i18n.entries import Page

PAGES: dict[str, Page] = {}


def build(city) -> None:
    """Objects these pages need in the walk city (none yet)."""

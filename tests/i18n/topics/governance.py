"""Pages of deadline changes, figures verified and published, comments and evidence, the queue."""

from tests.i18n.entries import Page

PAGES: dict[str, Page] = {}


def build(city) -> None:
    """Objects these pages need in the walk city (none yet)."""

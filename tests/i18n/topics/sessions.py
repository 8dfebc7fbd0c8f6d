"""Pages of report sessions in the product: agendas, directives followed up, key tasks managed."""

from tests.i18n.entries import Page

PAGES: dict[str, Page] = {}


def build(city) -> None:
    """Objects these pages need in the walk city (none yet)."""

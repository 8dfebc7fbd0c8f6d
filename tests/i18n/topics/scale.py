"""Pages of exports and benchmarks at city scale."""

from tests.i18n.entries import Page, not_html

PAGES: dict[str, Page] = {
    "review:task_export_request": not_html(
        "POST only: asks for a long list's file and redirects to the list "
        "(tests/mayors_office/test_background_exports.py)"
    ),
    "review:export_download": not_html(
        "a file prepared in the background, for its requester only: read back by "
        "tests/mayors_office/test_background_exports.py"
    ),
}


def build(city) -> None:
    """Objects these pages need in the walk city (none yet)."""

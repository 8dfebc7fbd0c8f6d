"""Benchmark scenarios of the JSON API, open data and the Excel round trip.

One line a page, e.g. ``Scenario("name", url="app:name", path="/…/", user="mayor", hot=True)``;
a pattern with no figure goes in EXCLUDED with the reason."""

from bench.client import Scenario

SCENARIOS: list[Scenario] = [
    Scenario(
        "open data: targets (CSV)",
        url="api:open_indicators_csv",
        path="/open-data/indicators.csv",
        user="anonymous",
        document=True,
    ),
    Scenario(
        "open data: targets (JSON)",
        url="api:open_indicators_json",
        path="/open-data/indicators.json",
        user="anonymous",
        document=True,
    ),
    Scenario(
        "open data: revisions (CSV)",
        url="api:open_revisions_csv",
        path="/open-data/revisions.csv",
        user="anonymous",
        document=True,
    ),
    Scenario(
        "open data: revisions (JSON)",
        url="api:open_revisions_json",
        path="/open-data/revisions.json",
        user="anonymous",
        document=True,
    ),
    Scenario("API tokens", url="api:tokens", path="/api/tokens/"),
    Scenario("Excel updates", url="bulk:home", path="/bulk/"),
    Scenario(
        "Excel updates: the bureau's workbook",
        url="bulk:download",
        path="/bulk/key-tasks.xlsx",
        document=True,
    ),
]

EXCLUDED: dict[str, str] = {
    "api:token_revoke": "POST only: revokes a token and redirects",
    "api_v1:openapi-json": "the API's schema, generated once per process by django-ninja",
    "bulk:upload": "the check of one upload: its time is the check's, timed for 1,000 rows "
    "by tests/bulk/test_thousand_rows.py (README)",
    "bulk:apply": "POST only: applies an upload (timed for 1,000 rows by "
    "tests/bulk/test_thousand_rows.py, README)",
}

EXCLUDED_NAMESPACES: dict[str, str] = {
    "api_v1": "the JSON API signs in by token, not by the benchmark's sessions; every list "
    "reads in three queries whatever its size (tests/api/test_resources_by_role.py)",
}

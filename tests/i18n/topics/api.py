"""Pages of the JSON API, open data and the Excel round trip."""

from api.services import issue_token
from tests.i18n.entries import Page, not_html, page

_API = "JSON for the city's systems, signed in by a personal token (401 without): "
_OPEN = "open data for anyone, no sign-in, cacheable: tests/api/test_open_data.py"

# Open to anyone, without signing in (tests/access/test_sign_in.py).
PUBLIC = {
    "api:open_indicators_csv",
    "api:open_indicators_json",
    "api:open_revisions_csv",
    "api:open_revisions_json",
    "api_v1:openapi-json",
}
# Signed in by their own token, not by the session: anonymous callers get 401.
TOKEN_SIGNED = {
    "api_v1:api-root",
    "api_v1:plans",
    "api_v1:plan",
    "api_v1:sectors",
    "api_v1:key_tasks",
    "api_v1:key_task",
    "api_v1:key_task_update",
    "api_v1:key_task_history",
    "api_v1:milestones",
    "api_v1:milestone_done",
    "api_v1:indicators",
    "api_v1:figures",
    "api_v1:figure_record",
    "api_v1:sessions",
    "api_v1:directives",
}

PAGES: dict[str, Page] = {
    "api:tokens": page(
        "finance_staff", "other_staff", "economy_head", "welfare_head", "mayors_office"
    ),
    "api:token_revoke": not_html(
        "POST only, redirects to the tokens page: tests/api/test_tokens.py"
    ),
    "api:open_indicators_csv": not_html(_OPEN),
    "api:open_indicators_json": not_html(_OPEN),
    "api:open_revisions_csv": not_html(_OPEN),
    "api:open_revisions_json": not_html(_OPEN),
    "api_v1:openapi-json": not_html("the API's OpenAPI schema, public: tests/api/test_schema.py"),
    **{
        name: not_html(_API + "tests/api/test_resources_by_role.py, tests/api/test_schema.py")
        for name in TOKEN_SIGNED
    },
}


def build(city) -> None:
    """Objects these pages need in the walk city: an API token of the finance staff, so
    the tokens page has a row."""
    issue_token(user=city.finance_staff, name="재정 시스템 연동")

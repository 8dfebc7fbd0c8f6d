"""Pages of the JSON API, open data and the Excel round trip."""

import io

from openpyxl import load_workbook

from api.services import issue_token
from bulk import services as bulk
from plans import services
from plans.models import KeyTask
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
    "api_v1:directive_add",
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
    "bulk:home": page("economy_head", "welfare_head", "mayors_office"),
    "bulk:download": not_html("an Excel file: tests/bulk/test_round_trip.py"),
    "bulk:upload": page("economy_head", kwargs=lambda c: {"pk": c.bulk_upload.pk}, fragment=True),
    "bulk:apply": not_html("POST only, redirects to the upload's page: tests/bulk"),
    **{
        name: not_html(_API + "tests/api/test_resources_by_role.py, tests/api/test_schema.py")
        for name in TOKEN_SIGNED
    },
}


def build(city) -> None:
    """Objects these pages need in the walk city: an API token of the finance staff, so
    the tokens page has a row; an Excel upload of the economy head, checked, with a
    change, a refusal and a conflict to show."""
    issue_token(user=city.finance_staff, name="재정 시스템 연동")
    book = load_workbook(io.BytesIO(bulk.download(city.economy_head)))
    sheet = book.worksheets[0]
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value == city.finance_task.pk:
            sheet.cell(row, 6).value = "완료"  # done short of 100%: refused
        else:
            sheet.cell(row, 7).value = 55
            sheet.cell(row, 8).value = "예산 집행 점검"
    buffer = io.BytesIO()
    book.save(buffer)
    # Someone saves the economy task after the download: its row conflicts.
    task = KeyTask.objects.get(pk=city.economy_task.pk)
    services.update_key_task(
        task, by=city.economy_head, expected_version=task.version, note="보고 전 점검"
    )
    upload = bulk.receive(
        by=city.economy_head, file_name="핵심과제.xlsx", content=buffer.getvalue()
    )
    city.bulk_upload = bulk.check(upload)

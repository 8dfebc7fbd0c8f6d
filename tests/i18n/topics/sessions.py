"""Pages of report sessions in the product: agendas, directives followed up, key tasks managed."""

from tests.i18n.entries import Page, not_html, page

PAGES: dict[str, Page] = {
    # Issue 11, item 4: the mayor's office schedules a session and builds its agenda.
    "meetings:session_create": page("mayors_office"),
    "meetings:session_edit": page("mayors_office", kwargs=lambda c: {"pk": c.session.pk}),
    "meetings:agenda_add": not_html(
        "POST only: answers with the session page's agenda fragment, checked through "
        "meetings:session_detail and tests/mayors_office/test_session_scheduling.py"
    ),
    "meetings:agenda_move": not_html(
        "POST only (up/down buttons): answers with the agenda fragment or a redirect, "
        "tests/mayors_office/test_session_scheduling.py"
    ),
    "meetings:session_held": not_html("POST only: redirects to the session page"),
    # Item 5: directives followed up.
    "meetings:directive_list": page("mayors_office", "economy_head", fragment=True),
    "meetings:directive_edit": page("mayors_office", kwargs=lambda c: {"pk": c.directive.pk}),
    "meetings:directives_xlsx": not_html(
        "an Excel file: Korean headers, filters and formula safety in "
        "tests/mayors_office/test_directive_follow_up.py"
    ),
    "meetings:directives_csv": not_html(
        "a CSV file: Korean headers, filters and formula safety in "
        "tests/mayors_office/test_directive_follow_up.py"
    ),
    # Item 6: key tasks managed by the mayor's office and bureau heads.
    "plans:task_create": page("economy_head", "mayors_office"),
    "plans:task_manage": page(
        "economy_head", "mayors_office", kwargs=lambda c: {"pk": c.finance_task.pk}
    ),
    "plans:milestone_add": not_html(
        "POST only: answers with the roadmap fragment of plans:task_manage "
        "(tests/bureau/test_managing_key_tasks.py)"
    ),
    "plans:milestone_edit": not_html(
        "POST only: answers with the roadmap fragment of plans:task_manage"
    ),
    "plans:milestone_move": not_html(
        "POST only (up/down buttons): the roadmap fragment or a redirect"
    ),
    "plans:task_drop": not_html("POST only: redirects to plans:task_manage"),
}


def build(city) -> None:
    """Objects these pages need in the walk city (the report session, its directive and
    a task with milestones are already there)."""

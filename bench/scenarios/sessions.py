"""Benchmark scenarios of report sessions: agendas, directives followed up, key tasks managed.

One line a page, e.g. ``Scenario("name", url="app:name", path="/…/", user="mayor", hot=True)``;
a pattern with no figure goes in EXCLUDED with the reason."""

from bench.client import FILLED, Scenario


def _session(worker) -> int:
    return FILLED["briefing_session"]


SCENARIOS: list[Scenario] = [
    # The agenda is built and reordered on the session's page (measured in core as
    # "session page"); its scheduling form:
    Scenario(
        "session scheduling form",
        url="meetings:session_create",
        path="/sessions/new/",
        user="mayor",
    ),
    Scenario(
        "session edit form",
        url="meetings:session_edit",
        path=lambda w: f"/sessions/{_session(w)}/edit/",
        user="mayor",
    ),
    Scenario("directives list", url="meetings:directive_list", path="/directives/", user="mayor"),
    Scenario(
        "directives list, open and overdue",
        url="meetings:directive_list",
        path="/directives/?state=open&overdue=on",
        user="mayor",
    ),
    Scenario(
        "directives file (XLSX)",
        url="meetings:directives_xlsx",
        path="/directives.xlsx",
        user="mayor",
        document=True,
        requests=20,
    ),
    Scenario(
        "directives file (CSV)",
        url="meetings:directives_csv",
        path="/directives.csv",
        user="mayor",
        document=True,
        requests=20,
    ),
    Scenario("new key task form", url="plans:task_create", path="/tasks/new/"),
    Scenario(
        "key task managers' page",
        url="plans:task_manage",
        path=lambda w: f"/tasks/{w.task[0]}/manage/",
    ),
]

_AGENDA = "POST only: a write answered with the session page's agenda fragment"
_ROADMAP = "POST only: a write answered with the managers' page (its roadmap fragment)"
EXCLUDED: dict[str, str] = {
    "meetings:agenda_add": _AGENDA,
    "meetings:agenda_move": _AGENDA,
    "meetings:session_held": "POST only: once per session, redirects to its page",
    "meetings:directive_edit": "a form opened once per directive, like the session edit form",
    "plans:milestone_add": _ROADMAP,
    "plans:milestone_edit": _ROADMAP,
    "plans:milestone_move": _ROADMAP,
    "plans:task_drop": "POST only: once in a task's life, redirects to its managers' page",
}

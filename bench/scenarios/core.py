"""Benchmark scenarios of the pages every role opens: the bureau's tasks, the mayor's
office's review, report sessions, the public pages, signing in, the admin.

One line a page; a pattern with no figure goes in EXCLUDED with the reason."""

from __future__ import annotations

from bench.client import FILLED, Scenario, Worker


def _updated(worker: Worker, status: int, body: bytes) -> bool:
    if status == 200 and b"flash-success" in body:
        worker.task[1] += 1
        return True
    return False


def _update_body(worker: Worker) -> dict:
    _pk, version = worker.task
    # A note makes every update a change, even when the progress happens to repeat.
    progress = 5 + version % 90
    return {"version": version, "status": "on_track", "progress": progress, "note": f"v{version}"}


def _session(worker: Worker) -> int:
    return FILLED["briefing_session"]


SCENARIOS: list[Scenario] = [
    Scenario("my tasks", url="plans:my_tasks", path="/tasks/mine/", hot=True),
    Scenario(
        "my tasks, filtered",
        url="plans:my_tasks",
        path="/tasks/mine/?q=task&at_risk=on&sort=-progress",
        hot=True,
    ),
    Scenario(
        "task detail", url="plans:task_detail", path=lambda w: f"/tasks/{w.task[0]}/", hot=True
    ),
    Scenario(
        "task history",
        url="plans:task_history",
        path=lambda w: f"/tasks/{w.task[0]}/history/",
    ),
    Scenario(
        "task history, on the task page",
        url="plans:task_history",
        path=lambda w: f"/tasks/{w.task[0]}/history/",
        htmx=True,
        hot=True,
    ),
    Scenario(
        "inline update",
        url="plans:task_update",
        method="POST",
        path=lambda w: f"/tasks/{w.task[0]}/update/",
        body=_update_body,
        htmx=True,
        after=_updated,
        hot=True,
        target=3,
    ),
    Scenario("dashboard", url="review:dashboard", path="/dashboard/", user="mayor", hot=True),
    Scenario(
        "sector page",
        url="review:sector_detail",
        path="/dashboard/sectors/1/",
        user="mayor",
        hot=True,
    ),
    Scenario("home", url="home", path="/", user="anonymous", hot=True),
    Scenario("public page", url="review:public", path="/public/", user="anonymous", hot=True),
    Scenario(
        "public task",
        url="review:public_task",
        path=lambda w: f"/public/tasks/{FILLED['public_task']}/",
        user="anonymous",
    ),
    Scenario("sign-in page", url="login", path="/accounts/login/", user="anonymous"),
    Scenario("password change", url="accounts:password_change", path="/accounts/password/"),
    Scenario("notification settings", url="reminders:notifications", path="/reminders/settings/"),
    Scenario(
        "password reset",
        url="accounts:password_reset",
        path="/accounts/password/reset/",
        user="anonymous",
    ),
    Scenario(
        "stale reset link",
        url="accounts:password_reset_confirm",
        path="/accounts/password/reset/MQ/expired-link/",
        user="anonymous",
    ),
    Scenario("sessions", url="meetings:session_list", path="/sessions/", user="mayor"),
    Scenario(
        "session calendar",
        url="meetings:session_calendar",
        path="/sessions/calendar/",
        user="mayor",
    ),
    Scenario(
        "calendar feed",
        url="meetings:sessions_ics",
        path="/sessions.ics",
        user="mayor",
        document=True,
    ),
    Scenario(
        "session page",
        url="meetings:session_detail",
        path=lambda w: f"/sessions/{_session(w)}/",
        user="mayor",
    ),
    Scenario(
        "briefing pack",
        url="meetings:briefing",
        path=lambda w: f"/sessions/{_session(w)}/briefing/",
        user="mayor",
        target=5,
    ),
    Scenario(
        "briefing pack PDF",
        url="meetings:briefing_pdf",
        path=lambda w: f"/sessions/{_session(w)}/briefing.pdf",
        user="mayor",
        document=True,
        requests=20,
    ),
    Scenario(
        "minutes form",
        url="meetings:minutes_edit",
        path=lambda w: f"/sessions/{_session(w)}/minutes/",
        user="mayor",
    ),
    Scenario(
        "admin: key tasks",
        url="admin:plans_keytask_changelist",
        path="/admin/plans/keytask/",
        user="admin",
    ),
]

_WRITE = "a write beside plans:task_update (measured as 'inline update'), answered with "
EXCLUDED: dict[str, str] = {
    "favicon": "a redirect to the static file whitenoise serves",
    "logout": "POST only: ends the session and redirects",
    "set_language": "Django's language switch: POST only, redirects",
    "plans:set_language": "the language switch: POST only, redirects",
    "healthz": "the load balancer's probe, not a page a person opens",
    "sso:oidc_start": "a redirect to the city's OpenID provider (off in the benchmark)",
    "sso:oidc_callback": "the provider's redirect back (off in the benchmark)",
    "reminders:acknowledge": "a signed link from one escalation email, opened once",
    "plans:task_edit": _WRITE + "the task page's body",
    "plans:task_measurement": _WRITE + "the task page's body",
    "plans:milestone_toggle": _WRITE + "the task page's body",
    "meetings:directive_add": "POST only: a write answered with the session page",
    "bench_baseline": "the benchmark's own yardstick (mounted only with BUSAN_BENCH=1)",
}
# Django's admin is city IT's tool: its key task list (the largest) is measured above;
# its other pages read one object or a short list.
EXCLUDED_NAMESPACES: dict[str, str] = {
    "admin": "city IT's tool; its key task list, the largest, is measured",
}

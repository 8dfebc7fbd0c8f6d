"""Benchmark scenarios of deadline changes, published figures, comments, evidence, the queue.

One line a page, e.g. ``Scenario("name", url="app:name", path="/…/", user="mayor", hot=True)``;
a pattern with no figure goes in EXCLUDED with the reason."""

from bench.client import Scenario

SCENARIOS: list[Scenario] = [
    # The first page after sign-in: every person opens it several times a day.
    Scenario("my queue", url="inbox:queue", path="/queue/", hot=True),
    Scenario("my queue, mayor's office", url="inbox:queue", path="/queue/", user="mayor", hot=True),
    Scenario("queue count", url="inbox:count", path="/queue/count/", hot=True),
    Scenario(
        "discussion",
        url="discussion:thread",
        path=lambda w: f"/tasks/{w.task[0]}/discussion/",
    ),
]

EXCLUDED: dict[str, str] = {
    "plans:task_deadline": "POST only: a deadline change request, answered with the task page "
    "(measured as 'task detail')",
    "plans:deadline_decide": "POST only: a decision on one request, answered with the task page",
    "plans:deadline_withdraw": "POST only: withdrawing one waiting request, answered with the "
    "task page",
    "plans:figure_verify": "POST only: verifying one figure, answered with the task page",
    "inbox:act": "POST only: one action on one queue item, answered with the queue's fragment",
    "discussion:comment": "POST only: a comment, answered with the discussion (measured)",
    "discussion:withdraw_comment": "POST only: withdrawing a comment, answered as above",
    "discussion:withdraw_file": "POST only: withdrawing a file, answered as above",
    "discussion:file": "a stored file sent as it is, to those who may read the task",
}

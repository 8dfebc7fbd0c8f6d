"""Benchmark scenarios of deadline changes, published figures, comments, evidence, the queue.

One line a page, e.g. ``Scenario("name", url="app:name", path="/…/", user="mayor", hot=True)``;
a pattern with no figure goes in EXCLUDED with the reason."""

from bench.client import Scenario

SCENARIOS: list[Scenario] = [
    # The first page after signing in, and the count every page fetches after it loads.
    Scenario("my queue", url="inbox:queue", path="/queue/", hot=True),
    Scenario("my queue, mayor's office", url="inbox:queue", path="/queue/", user="mayor"),
    Scenario("queue count", url="inbox:count", path="/queue/count/", htmx=True, hot=True),
]

_WRITE = "POST only: a write answered with the task page's body (as 'inline update')"
EXCLUDED: dict[str, str] = {
    "plans:task_deadline": _WRITE,
    "plans:deadline_decide": _WRITE,
    "plans:figure_verify": _WRITE,
    "inbox:act": "POST only: an action on a queue item, answered with the item's outcome",
}

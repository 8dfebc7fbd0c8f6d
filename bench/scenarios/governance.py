"""Benchmark scenarios of deadline changes, published figures, comments, evidence, the queue.

One line a page, e.g. ``Scenario("name", url="app:name", path="/…/", user="mayor", hot=True)``;
a pattern with no figure goes in EXCLUDED with the reason."""

from bench.client import Scenario

SCENARIOS: list[Scenario] = [
    # The first page after sign-in, for a bureau head and for the mayor's office (every
    # figure to verify and every deadline change of the city waits in the latter's).
    Scenario("my queue", url="inbox:queue", path="/queue/", hot=True),
    Scenario("my queue, mayor's office", url="inbox:queue", path="/queue/", user="mayor", hot=True),
    # Fetched by every page that shows the navigation.
    Scenario("queue count", url="inbox:count", path="/queue/count/", htmx=True, hot=True),
]

EXCLUDED: dict[str, str] = {
    "plans:task_deadline": "POST only: a deadline request answers with the task page's body "
    "(measured as task detail)",
    "plans:deadline_decide": "POST only: a decision answers with the task page's body "
    "(measured as task detail)",
    "plans:figure_verify": "POST only: verifying answers with the task page's body "
    "(measured as task detail)",
    "inbox:act": "POST only: an action answers with the item's outcome and the queue count "
    "(measured as queue count)",
}

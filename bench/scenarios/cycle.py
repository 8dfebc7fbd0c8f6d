"""Benchmark scenarios of the annual cycle: plans by year, next year's plan, bureau submissions.

One line a page, e.g. ``Scenario("name", url="app:name", path="/…/", user="mayor", hot=True)``;
a pattern with no figure goes in EXCLUDED with the reason."""

from bench.client import FILLED, Scenario, Worker


def _year(worker: Worker) -> int:
    return FILLED["next_year"]


def _bureau(worker: Worker) -> str:
    return f"/plans/{_year(worker)}/bureaus/{FILLED['next_year_bureau']}/"


SCENARIOS: list[Scenario] = [
    Scenario("plans by year", url="planning:plan_list", path="/plans/", user="head"),
    Scenario("next year's plan form", url="planning:plan_new", path="/plans/next/", user="mayor"),
    Scenario(
        "carry over",
        url="planning:carry_over",
        path=lambda w: f"/plans/{_year(w)}/carry-over/",
        user="mayor",
    ),
    # 40 headquarters' submissions of 25 drafts each (bench/fill.py fill_next_year).
    Scenario(
        "submissions overview",
        url="planning:submissions",
        path=lambda w: f"/plans/{_year(w)}/submissions/",
        user="mayor",
        target=4,
    ),
    Scenario("a bureau's submission", url="planning:submission", path=_bureau, user="mayor"),
    Scenario(
        "draft key task form",
        url="planning:draft_new",
        path=lambda w: _bureau(w) + "tasks/new/",
    ),
    Scenario(
        "draft key task",
        url="planning:draft_edit",
        path=lambda w: _bureau(w) + f"tasks/{FILLED['next_year_draft']}/",
    ),
]

EXCLUDED: dict[str, str] = {
    "planning:plan_stage": "POST only: adopting or closing a plan is a once-a-year write",
    "planning:submission_move": "POST only: submit, return or accept, a few times a year",
    "planning:delegates": "POST only: choosing who drafts with the head, once a year",
    "planning:draft_withdraw": (
        "a confirmation before removing a draft key task from the submission (and the POST "
        "that removes it): a few clicks a year per bureau, the draft's title and one form"
    ),
}

"""Benchmark scenarios of the annual cycle: plans by year, next year's plan, bureau submissions.

One line a page, e.g. ``Scenario("name", url="app:name", path="/…/", user="mayor", hot=True)``;
a pattern with no figure goes in EXCLUDED with the reason."""

from bench.client import Scenario

SCENARIOS: list[Scenario] = []

EXCLUDED: dict[str, str] = {}

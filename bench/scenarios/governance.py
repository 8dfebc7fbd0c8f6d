"""Benchmark scenarios of deadline changes, published figures, comments, evidence, the queue.

One line a page, e.g. ``Scenario("name", url="app:name", path="/…/", user="mayor", hot=True)``;
a pattern with no figure goes in EXCLUDED with the reason."""

from bench.client import Scenario

SCENARIOS: list[Scenario] = []

EXCLUDED: dict[str, str] = {}

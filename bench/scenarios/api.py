"""Benchmark scenarios of the JSON API, open data and the Excel round trip.

One line a page, e.g. ``Scenario("name", url="app:name", path="/…/", user="mayor", hot=True)``;
a pattern with no figure goes in EXCLUDED with the reason."""

from bench.client import Scenario

SCENARIOS: list[Scenario] = []

EXCLUDED: dict[str, str] = {}

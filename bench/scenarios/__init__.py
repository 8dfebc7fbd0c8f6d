"""The benchmark's registry: every page a person can open, measured.

Each feature area lists its scenarios in its own module here (``SCENARIOS``), and the
URL patterns it does not measure with the reason (``EXCLUDED``), in the same areas as
the page registry (tests/i18n/topics/). Adding a page's figure is one line:

    Scenario("plans by year", url="cycle:plan_list", path="/plans/", user="mayor", hot=True),

``tests/city_it/test_benchmark_registry.py`` walks the URL configuration
(bench/registry.py) and fails, naming them, for patterns with neither.
"""

from __future__ import annotations

from bench.client import Export, Scenario
from bench.scenarios import api, core, cycle, governance, scale, sessions

TOPICS = (core, scale, cycle, sessions, governance, api)


def scenarios() -> list[Scenario]:
    return [scenario for topic in TOPICS for scenario in topic.SCENARIOS]


def exports() -> list[Export]:
    return [export for topic in TOPICS for export in getattr(topic, "EXPORTS", [])]


def excluded() -> dict[str, str]:
    """URL name → why it has no figure."""
    return {name: reason for topic in TOPICS for name, reason in topic.EXCLUDED.items()}


def excluded_namespaces() -> dict[str, str]:
    """Namespaces left out as a whole (but for the scenarios that name their pages)."""
    return {
        name: reason
        for topic in TOPICS
        for name, reason in getattr(topic, "EXCLUDED_NAMESPACES", {}).items()
    }

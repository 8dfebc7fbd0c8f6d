"""Which URL patterns have a benchmark figure: every pattern of the URL configuration
(the admin's included) is measured by a scenario or export of bench/scenarios/, or left
out there with the reason. ``tests/city_it/test_benchmark_registry.py`` asks this, so a
page added on any branch without a figure fails the suite, by name."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from bench import scenarios


@dataclass(frozen=True)
class Pattern:
    name: str  # "namespace:name", or the route itself when it has no name
    route: str
    namespace: str = ""


def url_patterns(urlconf=None) -> list[Pattern]:
    """Every route of the URL configuration, in order."""
    found: list[Pattern] = []

    def walk(patterns, namespace: str, prefix: str):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace or ""
                full = f"{namespace}:{inner}".strip(":") if inner else namespace
                walk(entry.url_patterns, full, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                name = f"{namespace}:{entry.name}".lstrip(":") if entry.name else route
                found.append(Pattern(name, route, namespace))

    walk(get_resolver(urlconf).url_patterns, "", "")
    return found


def measured() -> set[str]:
    return {s.url for s in scenarios.scenarios()} | {e.url for e in scenarios.exports()}


def unregistered(patterns: list[Pattern] | None = None) -> list[Pattern]:
    """Patterns with no scenario, no export and no reason."""
    figures, excluded = measured(), scenarios.excluded()
    namespaces = scenarios.excluded_namespaces()
    return [
        pattern
        for pattern in (url_patterns() if patterns is None else patterns)
        if pattern.name not in figures
        and pattern.name not in excluded
        and pattern.namespace.split(":")[0] not in namespaces
    ]


def stale(patterns: list[Pattern] | None = None) -> list[str]:
    """Registry entries naming no pattern (a page renamed or removed)."""
    names = {pattern.name for pattern in (url_patterns() if patterns is None else patterns)}
    # The bench's own yardstick is mounted only when the benchmark runs.
    names.add("bench_baseline")
    return sorted((measured() | set(scenarios.excluded())) - names)


def explain(missing: list[Pattern]) -> str:
    lines = [
        f"  {pattern.name}  ({pattern.route or '/'})"
        + ("" if pattern.name != pattern.route else "  <- unnamed: name it first")
        for pattern in missing
    ]
    return (
        f"{len(missing)} URL pattern(s) have no benchmark figure:\n"
        + "\n".join(lines)
        + "\nAdd one line to your area's module in bench/scenarios/ (SCENARIOS), e.g.\n"
        '  Scenario("my page", url="app:name", path="/app/…/", user="mayor", hot=True),\n'
        'or say why it has none: EXCLUDED["app:name"] = "POST only: …".'
    )

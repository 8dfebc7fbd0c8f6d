"""axe-core in the real browser: the accessibility audit every browser test can run.

axe-core comes from the npm registry, pinned in package.json / package-lock.json and
installed into ./node_modules by ``npm ci`` (bin/test does it when the folder is
missing). It is injected into the page under test with Playwright and run there, so
it sees the page as Chromium lays it out: real contrast, real focus order, real
landmarks.

    def test_something(page, axe_audit):
        page.goto(...)
        axe_audit(page)          # fails on any serious or critical violation
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import missing

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
# WCAG 2.1 A and AA plus axe's best practices (landmarks, one h1, region…).
RUN_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def axe_violations(page, impacts=FAILING_IMPACTS) -> list[dict]:
    """The violations of the given impacts on the page as it is now."""
    if not AXE_JS.exists():
        missing(f"axe-core is not installed at {AXE_JS} (run: npm ci)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("options => window.axe.run(document, options)", RUN_OPTIONS)
    return [v for v in result["violations"] if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['failureSummary']!r}"[:400])
    return "\n".join(lines)


@pytest.fixture
def axe_audit():
    """Call with a Playwright page: fails the test on serious or critical violations."""

    def audit(page, label: str = ""):
        violations = axe_violations(page)
        assert not violations, f"{label or page.url}\n{describe(violations)}"

    return audit

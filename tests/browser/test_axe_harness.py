"""The audit really fails on serious problems (so a clean run means something)."""

import pytest

from tests.browser.axe import axe_violations

BROKEN = """<!doctype html><html lang="ko"><head><title>시험</title></head><body>
<main><h1>시험</h1>
<form><input type="text" name="q"></form>
<p style="color:#bbb;background:#fff">흐린 글자</p>
<img src="data:," width="10" height="10">
</main></body></html>"""

CLEAN = """<!doctype html><html lang="ko"><head><title>시험</title></head><body>
<main><h1>시험</h1><form><label for="q">검색어</label><input id="q" name="q"></form></main>
</body></html>"""


def test_the_audit_catches_missing_labels_poor_contrast_and_missing_alt_text(page, axe_audit):
    page.set_content(BROKEN)
    found = {v["id"] for v in axe_violations(page)}
    assert {"label", "color-contrast", "image-alt"} <= found
    with pytest.raises(AssertionError, match="color-contrast"):
        axe_audit(page)


def test_the_audit_passes_a_clean_page(page, axe_audit):
    page.set_content(CLEAN)
    axe_audit(page)

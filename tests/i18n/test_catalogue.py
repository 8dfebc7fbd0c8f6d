"""The Korean catalogue covers every translatable string in the code.

How it works: the project's source (without .venv, node_modules, var, test output) is
copied to a temporary folder together with the committed ``locale/``; there
``manage.py makemessages -l ko`` (the same command as ``bin/translations``) merges
every string now marked in the code — Python, templates — into the copy of
``django.po``. A string added to the code since the catalogue was last refreshed
arrives empty; one whose English changed arrives fuzzy. The test then reads the
refreshed copy with polib and fails on any entry that is empty or fuzzy, naming each
one, and on Korean that drops or invents a placeholder. A second test checks that the
committed ``django.mo`` (shipped so a fresh clone shows Korean without gettext) holds
exactly the committed ``django.po``'s translations.

The fix for a failure is always the same: ``bin/translations``, translate the empty
and fuzzy entries in ``locale/ko/LC_MESSAGES/django.po``, run ``bin/translations
--compile``, commit both files.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

from tests.conftest import missing

# What this checks does not depend on the database: run once, in the PostgreSQL stage.
pytestmark = pytest.mark.once

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "ko" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
NOT_SOURCE = shutil.ignore_patterns(
    ".venv", "node_modules", "var", "test-output", "staticfiles", ".git", "__pycache__",
    "*.pyc", ".pytest_cache", ".ruff_cache", "*.sqlite3*",
)  # fmt: skip
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|%%")


def need_gettext():
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        missing("GNU gettext is not installed (apt-get install gettext)")


@pytest.fixture(scope="module")
def refreshed_catalogue(tmp_path_factory) -> polib.POFile:
    need_gettext()
    copy = tmp_path_factory.mktemp("source") / "project"
    shutil.copytree(ROOT, copy, ignore=NOT_SOURCE, symlinks=True)
    env = {
        **os.environ,
        "BUSAN_VAR_DIR": str(copy / "var"),
        "DJANGO_SETTINGS_MODULE": "busan_tracker.settings",
    }
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ko", "--no-obsolete", "-v0",
         "--ignore=.venv", "--ignore=node_modules", "--ignore=test-output", "--ignore=var"],
        cwd=copy, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return polib.pofile(str(copy / "locale" / "ko" / "LC_MESSAGES" / "django.po"))


def where(entry: polib.POEntry) -> str:
    places = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:3])
    return f"{entry.msgid!r} ({places})"


def test_every_string_in_the_code_has_korean(refreshed_catalogue):
    untranslated = [where(e) for e in refreshed_catalogue.untranslated_entries()]
    fuzzy = [where(e) for e in refreshed_catalogue.fuzzy_entries()]
    assert untranslated == [], "strings with no Korean yet: run bin/translations"
    assert fuzzy == [], "English changed since translated (fuzzy): check the Korean"
    assert len(refreshed_catalogue) > 100  # the copy really held the project's strings


def test_the_korean_keeps_every_placeholder(refreshed_catalogue):
    broken = []
    for entry in refreshed_catalogue.translated_entries():
        wanted = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for korean in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            if sorted(PLACEHOLDER.findall(korean)) != wanted:
                broken.append(f"{entry.msgid!r} → {korean!r}")
    assert broken == []


def test_the_shipped_compiled_catalogue_matches_the_source():
    assert MO.exists(), "run bin/translations --compile and commit django.mo"
    source = {
        (e.msgctxt, e.msgid): (e.msgstr_plural.get(0) if e.msgid_plural else e.msgstr)
        for e in polib.pofile(str(PO)).translated_entries()
    }
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr_plural.get(0) if e.msgid_plural else e.msgstr)
        for e in polib.mofile(str(MO))
        if e.msgid
    }
    assert compiled == source, "django.mo is stale: run bin/translations --compile"


def test_plural_forms_suit_korean():
    # Korean counts have one form: 핵심과제 1건, 핵심과제 3건.
    assert polib.pofile(str(PO)).metadata["Plural-Forms"] == "nplurals=1; plural=0;"

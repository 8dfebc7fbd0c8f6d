"""Finds English left in a page that should be Korean.

Two nets:
- ``known_english``: every msgid of the Korean catalogue whose translation differs
  from it is a *known* English string; if one shows up in the text a reader sees or
  hears (text nodes and the title / aria-label / placeholder / alt / button value
  attributes) the string was not translated on that page — a missing ``{% translate %}``
  around a string the catalogue already knows, an untranslated or fuzzy entry, a
  stale .mo, or a lazy string rendered outside the active language.
- ``english_phrases``: a run of three or more English words in that text, which
  catches strings never marked for translation at all (so absent from the catalogue).

Text inside an element whose ``lang`` attribute names another language is skipped:
the language switch names English "English" on purpose.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ko" / "LC_MESSAGES" / "django.po"
SPOKEN_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "aria-description"}
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{\w*\}")
PHRASE = re.compile(r"(?<![\w.])[A-Za-z][a-z']+(?:[ ,]+[A-Za-z][a-z']+){2,}")
# A web address in a plain-text email is not words anyone reads, and its signed token
# is random: "…/acknowledge/MTA:1xYgM5:Id4lIV7…/" once held the catalogue's "Id".
WEB_ADDRESS = re.compile(r"https?://\S+")


class _TextCollector(HTMLParser):
    def __init__(self, page_language: str):
        super().__init__(convert_charrefs=True)
        self.page_language = page_language
        self.stack: list[tuple[str, str | None]] = []  # (tag, lang it set)
        self.texts: list[str] = []

    def _foreign(self) -> bool:
        for _tag, lang in reversed(self.stack):
            if lang is not None:
                return not lang.lower().startswith(self.page_language)
        return False

    def _hidden(self) -> bool:
        return any(tag in ("script", "style", "template") for tag, _ in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang") if tag != "html" else None
        if tag not in VOID:
            self.stack.append((tag, lang))
        own_foreign = lang is not None and not lang.lower().startswith(self.page_language)
        if own_foreign or self._foreign() or self._hidden():
            return
        for name in SPOKEN_ATTRIBUTES:
            if attrs.get(name):
                self.texts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset"):
            self.texts.append(attrs.get("value") or "")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if self._hidden() or self._foreign():
            return
        text = " ".join(WEB_ADDRESS.sub(" ", data).split())
        if text:
            self.texts.append(text)


def readable_text(html: str, page_language: str = "ko") -> list[str]:
    collector = _TextCollector(page_language)
    collector.feed(html)
    collector.close()
    return [text for text in collector.texts if text]


def _pattern(msgid: str) -> re.Pattern:
    parts = PLACEHOLDER.split(msgid)
    # split() with a group returns the group's captures between the literal parts.
    literals = parts[::2]
    body = ".+?".join(re.escape(part.replace("%%", "%")) for part in literals)
    # Not inside a longer word, nor inside a run of letters and digits: a random token
    # shown on a page (an API token's first characters, "bt_9no3…") is no English.
    return re.compile(rf"(?<![A-Za-z0-9_]){body}(?![A-Za-z0-9_])")


@cache
def known_english(path: Path = CATALOGUE) -> tuple[tuple[str, re.Pattern], ...]:
    """The English strings the catalogue translates, longest first."""
    strings = set()
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for english in filter(None, (entry.msgid, entry.msgid_plural)):
            # Only strings whose Korean differs are evidence (a brand name may stay as is).
            if english not in translations and re.search("[A-Za-z]{2,}", english):
                strings.add(english)
    return tuple((s, _pattern(s)) for s in sorted(strings, key=len, reverse=True))


def untranslated(html: str, page_language: str = "ko") -> list[str]:
    """Human-readable findings: each known English string or English phrase on the page."""
    findings = []
    for text in readable_text(html, page_language):
        for english, pattern in known_english():
            if pattern.search(text):
                findings.append(f"catalogue string {english!r} in {text!r}")
                break
        else:
            for phrase in PHRASE.findall(text):
                findings.append(f"English phrase {phrase!r} in {text!r}")
    return findings

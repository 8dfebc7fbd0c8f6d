"""Typing Korean as a Korean input method does, in Chromium, through the DevTools
protocol: each syllable is composed jamo by jamo (``Input.imeSetComposition``: ㅎ → 하 →
한) and committed (``Input.insertText``), so pages see the real composition events
(compositionstart/update/end, keydown with isComposing). Use it wherever people type
Korean into a form that Enter sends: the in-row update's note, the comment box.

    def test_…(page, korean_ime):
        ime = korean_ime(page)
        ime.type(page.locator("input[name=note]"), "예산 확보 완료", commit_last=False)
        page.keyboard.press("Enter")   # Enter while "료" is still being composed
"""

from __future__ import annotations

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
# Initial consonants as the compatibility jamo an IME shows while composing.
INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"


def stages(syllable: str) -> list[str]:
    """What the composition shows while a syllable is typed: 한 → ["ㅎ", "하", "한"]."""
    code = ord(syllable)
    if not HANGUL_FIRST <= code <= HANGUL_LAST:
        return [syllable]
    offset = code - HANGUL_FIRST
    initial, rest = divmod(offset, 21 * 28)
    vowel, final = divmod(rest, 28)
    shown = [INITIALS[initial], chr(HANGUL_FIRST + (initial * 21 + vowel) * 28)]
    if final:
        shown.append(syllable)
    return shown


class KoreanIME:
    def __init__(self, page):
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.pending = ""

    def compose(self, syllable: str) -> None:
        """Type one syllable and leave it in composition (not yet committed)."""
        for shown in stages(syllable):
            self.cdp.send(
                "Input.imeSetComposition",
                {"text": shown, "selectionStart": len(shown), "selectionEnd": len(shown)},
            )
        self.pending = syllable

    def commit(self) -> None:
        """End the composition with the syllable typed (what Space or Enter does)."""
        if self.pending:
            self.cdp.send("Input.insertText", {"text": self.pending})
            self.pending = ""

    def type(self, locator, text: str, *, commit_last: bool = True) -> None:
        """Type ``text`` into ``locator`` syllable by syllable; spaces and Latin letters
        go in as plain text. With ``commit_last=False`` the last syllable is left in
        composition, as when someone presses Enter straight after typing it."""
        locator.focus()
        for index, char in enumerate(text):
            self.commit()
            if HANGUL_FIRST <= ord(char) <= HANGUL_LAST:
                self.compose(char)
            else:
                self.cdp.send("Input.insertText", {"text": char})
            if index == len(text) - 1 and commit_last:
                self.commit()

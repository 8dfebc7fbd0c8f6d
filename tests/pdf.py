"""Reading a PDF back as a person would: its text page by page, its fonts, its pages as
pictures. Uses Debian's poppler-utils (pdftotext, pdffonts, pdfinfo, pdftoppm), which
bin/test installs."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from tests.conftest import missing

TOOLS = ("pdftotext", "pdffonts", "pdfinfo", "pdftoppm")


def _run(*args: str) -> str:
    if not all(shutil.which(tool) for tool in TOOLS):
        missing("poppler-utils is not installed (apt-get install poppler-utils)")
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout


def page_count(path: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(path)), re.M)[1])


def page_size(path: Path) -> tuple[float, float]:
    found = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", _run("pdfinfo", str(path)), re.M)
    return float(found[1]), float(found[2])


def pages_text(path: Path) -> list[str]:
    """The text of each page, in reading order."""
    return [
        _run("pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-")
        for n in range(1, page_count(path) + 1)
    ]


def fonts(path: Path) -> list[dict]:
    """Each font with whether it is embedded (pdffonts' table)."""
    lines = _run("pdffonts", str(path)).splitlines()[2:]
    found = []
    for line in lines:
        parts = line.split()
        # name, type..., encoding, emb, sub, uni, object, id: read from the right.
        found.append({"name": parts[0], "embedded": parts[-5] == "yes"})
    return found


def to_png(path: Path, prefix: Path, dpi: int = 80) -> list[Path]:
    """Every page as a PNG (``<prefix>-1.png`` …) to look at."""
    for old in prefix.parent.glob(f"{prefix.name}-*.png"):
        old.unlink()
    _run("pdftoppm", "-r", str(dpi), "-png", str(path), str(prefix))
    return sorted(
        prefix.parent.glob(f"{prefix.name}-*.png"), key=lambda p: int(p.stem.split("-")[-1])
    )

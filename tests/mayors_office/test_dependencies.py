"""Dependencies run one way: meetings uses plans; plans never imports meetings."""

import ast
from pathlib import Path

from django.conf import settings


def test_plans_never_imports_meetings():
    offenders = []
    for path in (Path(settings.BASE_DIR) / "plans").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {name}" for name in names if name.split(".")[0] == "meetings"
            ]
    assert offenders == []

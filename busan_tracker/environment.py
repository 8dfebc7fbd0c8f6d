"""The tiny helpers every setting is read through (settings.py, single_sign_on.py).
``env`` defaults to the process environment; the single sign-on tests pass their own."""

import os
from collections.abc import Mapping


def envbool(name: str, default: str, env: Mapping[str, str] = os.environ) -> bool:
    return env.get(name, default).lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int, env: Mapping[str, str] = os.environ) -> int:
    return int(env.get(name, default))


def envlist(name: str, default: str, env: Mapping[str, str] = os.environ) -> list[str]:
    return [item.strip() for item in env.get(name, default).split(",") if item.strip()]

"""The production settings pass Django's deployment checklist without a warning."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def run_manage(*args, drop=(), **env):
    # The browser tests' async-unsafe switch must not leak into a production check.
    drop = (*drop, "DJANGO_ALLOW_ASYNC_UNSAFE")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={k: v for k, v in {**os.environ, **env}.items() if k not in drop},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        BUSAN_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="tracker.busan.example",
        BUSAN_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_manage(
        "check", drop=("SECRET_KEY",), BUSAN_ENV="production", BUSAN_VAR_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_city_runs_in_seoul_time_and_korean_first():
    assert settings.TIME_ZONE == "Asia/Seoul"
    assert settings.LANGUAGE_CODE == "ko"
    assert [code for code, _ in settings.LANGUAGES] == ["ko", "en"]

"""The production settings pass Django's deployment checklist without a warning."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from plans.models import KeyTask

# What this checks does not depend on the database: run once, in the PostgreSQL stage.
pytestmark = pytest.mark.once


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


@pytest.mark.postgres
def test_repeated_queries_run_as_prepared_statements_on_postgresql(db):
    for _ in range(6):  # psycopg prepares a query the fifth time a connection runs it
        list(KeyTask.objects.filter(code="no such task"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('FROM "plans_keytask"' in sql and "$1" in sql for sql in prepared)


def test_prepared_statements_can_be_turned_off_for_a_transaction_mode_pooler(tmp_path):
    show = "from django.db import connection; print(connection.settings_dict['OPTIONS'])"
    url = "postgres://postgres@127.0.0.1:5432/busan"
    on = run_manage("shell", "-c", show, DATABASE_URL=url, BUSAN_VAR_DIR=str(tmp_path))
    off = run_manage(
        "shell",
        "-c",
        show,
        DATABASE_URL=url,
        DB_PREPARED_STATEMENTS="false",
        BUSAN_VAR_DIR=str(tmp_path),
    )
    assert "'server_side_binding': True" in on.stdout, on.stderr
    assert "server_side_binding" not in off.stdout and off.returncode == 0, off.stderr


def test_the_cache_is_local_memory_by_default_and_redis_with_cache_url(tmp_path):
    """Several app servers share one cache (rendered rows, review figures) through Redis."""
    probe = (
        "from django.core.cache import cache, caches; "
        "cache.set('probe', 'shared', 30); "
        "print(type(caches['default']).__name__, cache.get('probe'))"
    )
    local = run_manage("shell", "-c", probe, BUSAN_VAR_DIR=str(tmp_path), drop=("CACHE_URL",))
    assert local.stdout.splitlines()[-1] == "LocMemCache shared", local.stdout + local.stderr
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    shared = run_manage(
        "shell",
        "-c",
        probe,
        CACHE_URL=redis_url,
        CACHE_KEY_PREFIX="busan-test-cache",
        BUSAN_VAR_DIR=str(tmp_path),
    )
    assert shared.stdout.splitlines()[-1] == "RedisCache shared", shared.stdout + shared.stderr

"""The production recipe, run the way the README tells city IT to: the Procfile under
honcho (gunicorn, a Celery worker and beat on Redis) with BUSAN_ENV=production on a
PostgreSQL database of this test's own; pages answer, logs are JSON lines; then
deploy/backup → drop the database → deploy/restore, and the pages answer again with the
same plan and the same signed-in session."""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

from tests.conftest import free_port, missing

pytestmark = pytest.mark.postgres

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
HONCHO_LINE = re.compile(r"^\d\d:\d\d:\d\d (\w+)\.\d+\s*\| ?(.*)$")


def server_url(name: str) -> str:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def admin_sql(*statements: str) -> None:
    import psycopg

    with psycopg.connect(server_url("postgres"), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL") or settings.CELERY_BROKER_URL
    if not url.startswith("redis://"):
        missing("the production stack needs Redis: set TEST_REDIS_URL=redis://127.0.0.1:6379/N")
    return url


class Stack:
    """``honcho start`` with the repository's Procfile, in a process group of its own."""

    def __init__(self, env: dict[str, str], log: Path, *processes: str):
        self.log = log
        self.port = free_port()
        self.started = time.monotonic()
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [str(BIN / "honcho"), "start", "--port", str(self.port), *processes],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.url = f"http://127.0.0.1:{self.port}"

    def lines(self, process: str) -> list[str]:
        found = []
        for line in self.log.read_text(errors="replace").splitlines():
            match = HONCHO_LINE.match(line)
            if match and match[1] == process and match[2].strip():
                found.append(match[2])
        return found

    def wait_for(self, what: str, condition, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if condition():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.25)
        raise AssertionError(f"{what} did not happen:\n{self.log.read_text()[-4000:]}")

    def answers(self) -> bool:
        try:
            return requests.get(f"{self.url}/healthz", timeout=10).status_code in (200, 503)
        except requests.RequestException:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


class Browser:
    """What the reverse proxy passes on (X-Forwarded-Proto: https) and a cookie jar that
    keeps the production cookies, which are marked Secure."""

    def __init__(self, url: str):
        self.url = url
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, headers=None, **kwargs) -> requests.Response:
        headers = {
            "X-Forwarded-Proto": "https",
            "Origin": self.url.replace("http:", "https:"),
            **(headers or {}),
        }
        response = requests.request(
            method,
            self.url + path,
            headers=headers,
            cookies=self.cookies,
            allow_redirects=False,
            timeout=10,
            **kwargs,
        )
        self.cookies.update(response.cookies.get_dict())
        return response

    def sign_in(self, username: str, password: str) -> None:
        page = self.request("GET", "/accounts/login/")
        assert page.status_code == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
        response = self.request(
            "POST",
            "/accounts/login/",
            data={"csrfmiddlewaretoken": token, "username": username, "password": password},
        )
        assert response.status_code == 302, response.text[:2000]


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def script(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture
def production(tmp_path):
    """A production configuration of the test's own: its database, its Redis keys and
    queue, its state and static folders."""
    suffix = os.environ.get("TEST_DB_SUFFIX", "")
    name = f"test_busan{suffix}_production_stack"  # dropped and created: a test name only
    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    broker = redis_url()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "CELERY_", "DATABASE_", "CACHE_"))
    }
    env.update(
        PATH=f"{BIN}:{env.get('PATH', '')}",
        PYTHON=sys.executable,
        BUSAN_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=server_url(name),
        DB_CONN_MAX_AGE="60",
        CELERY_BROKER_URL=broker,
        CELERY_TASK_DEFAULT_QUEUE=f"{os.environ.get('CELERY_TASK_DEFAULT_QUEUE', 'celery')}-prod",
        CELERY_CONCURRENCY="1",
        CACHE_URL=broker,
        CACHE_KEY_PREFIX=f"busan{suffix}-production",
        BUSAN_VAR_DIR=str(tmp_path / "var"),
        STATIC_ROOT=str(tmp_path / "static"),
        BACKUP_DIR=str(tmp_path / "backups"),
        WEB_CONCURRENCY="2",
        # Beat sends both scheduled tasks within seconds instead of at 08:00 and in 5 min.
        REMINDER_SWEEP_INTERVAL_SECONDS="2",
        REMINDER_DELIVERY_INTERVAL_SECONDS="2",
    )
    yield env
    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def json_lines(lines: list[str]) -> list[dict]:
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            raise AssertionError(f"not a JSON line: {line!r}") from None
    return records


def test_the_production_stack_serves_logs_json_and_survives_a_backup_and_restore(
    production, tmp_path
):
    env = production
    # The README's first-install steps (static files gathered while the database fills).
    collect = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_busan_2024")
    password = secrets.token_urlsafe(16)
    manage(
        {**env, "DJANGO_SUPERUSER_PASSWORD": password},
        "createsuperuser",
        "--noinput",
        "--username",
        "cityit",
        "--email",
        "cityit@busan.example",
    )
    assert collect.wait(timeout=300) == 0, collect.stderr.read()

    stack = Stack(env, tmp_path / "honcho.log")
    try:
        stack.wait_for("gunicorn answering", stack.answers)
        browser = Browser(stack.url)

        # The load balancer probes over plain HTTP, without the proxy's header.
        health = requests.get(f"{stack.url}/healthz?format=json", timeout=5)
        assert health.status_code == 200, health.text
        states = {k: v["state"] for k, v in health.json()["checks"].items()}
        # The scheduler may or may not have run delivery yet: neither is an alarm.
        assert states.pop("beat") in {"unknown", "ok"}
        assert states == {"database": "ok", "cache": "ok", "broker": "ok"}
        # Anything else over plain HTTP is sent to HTTPS.
        plain = requests.get(f"{stack.url}/public/", allow_redirects=False, timeout=5)
        assert plain.status_code == 301
        assert plain.headers["Location"].startswith("https://")

        home = browser.request("GET", "/")
        assert home.status_code == 200
        assert "Strict-Transport-Security" in home.headers
        stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', home.text)
        assert stylesheet, "whitenoise's hashed stylesheet is linked from the page"
        css = browser.request("GET", stylesheet[1], headers={"Accept-Encoding": "gzip"})
        assert css.status_code == 200
        assert "immutable" in css.headers["Cache-Control"]
        assert css.headers.get("Content-Encoding") == "gzip"
        assert browser.request("GET", "/public/").status_code == 200

        browser.sign_in("cityit", password)
        pages = ("/dashboard/", "/dashboard/tasks/", "/sessions/", "/admin/")
        for path in pages:
            response = browser.request("GET", path)
            assert response.status_code == 200, (path, response.status_code)
        codes = set(re.findall(r"\b\d-\d\d\b", browser.request("GET", pages[1]).text))
        assert codes, "the city-wide list shows the loaded key tasks"

        # Beat → Redis → worker → PostgreSQL: both scheduled tasks ran.
        def ran(task):
            return lambda: any(
                f"Task {task}[" in r.get("message", "") and "succeeded" in r["message"]
                for r in json_lines(stack.lines("worker"))
            )

        stack.wait_for("the sweep", ran("reminders.tasks.run_reminder_sweep"))
        stack.wait_for("a delivery run", ran("reminders.tasks.deliver_reminders"))

        # Every process logs JSON lines with the same fields.
        web = json_lines(stack.lines("web"))
        worker = json_lines(stack.lines("worker"))
        beat = json_lines(stack.lines("beat"))
        for record in web + worker + beat:
            assert {"time", "level", "logger", "message"} <= record.keys(), record
        access = [r for r in web if r["logger"] == "gunicorn.access"]
        assert any(r["path"] == "/dashboard/" and r["status"] == 200 for r in access)
        assert all(isinstance(r["duration_ms"], float) for r in access)
        assert any(r["message"] == "beat: Starting..." for r in beat)
        assert any(r["message"].endswith(" ready.") for r in worker)

        # Backup while the site runs (pg_dump reads a consistent snapshot).
        dump = Path(script(env, "deploy/backup").strip())
        assert dump.parent == tmp_path / "backups" and dump.stat().st_size > 10_000

        # The database is lost: the probe says so and the load balancer stops sending.
        name = env["DATABASE_URL"].rsplit("/", 1)[1]
        admin_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        lost = requests.get(f"{stack.url}/healthz", timeout=10)
        assert lost.status_code == 503
        assert "database: failing" in lost.text
    finally:
        stack.stop()

    # The README's restore: an empty database, deploy/restore, start again.
    admin_sql(f'CREATE DATABASE "{name}"')
    restored = script(env, "deploy/restore", str(dump))
    assert "Cache cleared" in restored
    refused = subprocess.run(
        ["deploy/restore", str(dump)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert refused.returncode != 0, "a restore never writes over a database that has tables"

    stack = Stack(env, tmp_path / "honcho-after-restore.log", "web")
    try:
        stack.wait_for("gunicorn answering", stack.answers)
        assert requests.get(f"{stack.url}/healthz", timeout=5).status_code == 200
        # The same browser, still signed in: sessions are in the database too.
        browser.url = stack.url
        for path in pages:
            response = browser.request("GET", path)
            assert response.status_code == 200, (path, response.status_code)
            if path == "/dashboard/tasks/":
                assert set(re.findall(r"\b\d-\d\d\b", response.text)) == codes
    finally:
        stack.stop()

"""bin/run on another port: the run log's sign-in address, the links in the calendar
feed and in emails all name the port it serves on (issue 15, item 7), and the demo
sign-in it prints lands a bureau head on their queue (item 5)."""

import os
import re
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from icalendar import Calendar
from playwright.sync_api import expect

ROOT = settings.BASE_DIR
# What the tests themselves run on: bin/run must use its own embedded default.
NOT_FOR_BIN_RUN = ("DATABASE_URL", "CELERY_BROKER_URL", "SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(log, pattern: str, process, seconds: float = 240) -> re.Match:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = re.search(pattern, log.read_text())
        if found:
            return found
        assert process.poll() is None, log.read_text()[-3000:]
        time.sleep(0.2)
    raise AssertionError(f"bin/run did not print {pattern!r}:\n{log.read_text()[-3000:]}")


def test_bin_run_on_another_port_links_to_that_port(page, tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in NOT_FOR_BIN_RUN}
    env.update(PORT=str(port), BUSAN_VAR_DIR=str(tmp_path / "var"))
    log = tmp_path / "run.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["bash", "bin/run"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        sign_in_line = wait_for(log, r"Demo sign-ins \((\S+)\):", process)
        assert sign_in_line[1] == f"http://127.0.0.1:{port}/accounts/login/"
        head, password = wait_for(log, r"bureau_head\s+(\S+)\s+(\S+)", process).groups()
        wait_for(log, rf"Serving on http://127\.0\.0\.1:{port}", process)

        deadline = time.monotonic() + 60
        while True:  # the server accepts connections a moment after it says so
            try:
                page.goto(sign_in_line[1])
                break
            except Exception:
                assert time.monotonic() < deadline
                time.sleep(0.5)
        page.locator("input[name=username]").fill(head)
        page.locator("input[name=password]").fill(password)
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(f"http://127.0.0.1:{port}/queue/")

        feed = page.request.get(f"http://127.0.0.1:{port}/sessions.ics")
        assert feed.ok
        urls = [str(event["url"]) for event in Calendar.from_ical(feed.body()).walk("VEVENT")]
        assert urls and all(url.startswith(f"http://127.0.0.1:{port}/sessions/") for url in urls)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_emails_link_to_the_port_served_without_a_site_url(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in NOT_FOR_BIN_RUN}
    env.update(PORT="8456", BUSAN_VAR_DIR=str(tmp_path))
    code = (
        "import django; django.setup();"
        "from plans.links import absolute_reverse, site_url;"
        "print(site_url(), absolute_reverse('plans:task_detail', 7))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**env, "DJANGO_SETTINGS_MODULE": "busan_tracker.settings"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["http://127.0.0.1:8456", "http://127.0.0.1:8456/tasks/7/"]

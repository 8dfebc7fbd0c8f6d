"""bin/run starts the reminder worker with its scheduler on the embedded default, and
brings it back whenever it stops while the web app stays up."""

import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from tests.reminders.workers import READY, STARTED, alive, free_port, wait_for

RUN = (settings.BASE_DIR / "bin" / "run").read_text()
DELIVERED = re.compile(r"Task reminders\.tasks\.deliver_reminders\[[^\]]+\] succeeded")


def status_of(port: int) -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def test_bin_run_starts_a_worker_with_its_scheduler_under_the_supervisor():
    assert re.search(r"celery\" -A busan_tracker worker -B\b", RUN)
    assert re.search(
        r"bin/supervise .*-- \\\n\s+\"\$VENV/bin/celery\" -A busan_tracker worker", RUN
    )


def test_the_condition_bin_run_checks_before_starting_the_worker_holds():
    # bin/run starts the worker only when reminders.tasks imports; a check that cannot
    # import it (Django not set up) would silently leave reminders unsent.
    (check,) = re.findall(r'"\$PY" -c "([^"]+)"', RUN.split("Starting the reminder worker")[0])
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "busan_tracker.settings"}
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=settings.BASE_DIR, env=env, capture_output=True
    )
    assert result.returncode == 0, result.stderr.decode()


def test_beat_schedules_the_daily_sweep_and_the_delivery_retries():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks == {
        "reminders.tasks.run_reminder_sweep",
        "reminders.tasks.deliver_reminders",
        # Files of long exports whose link expired (issue 17): removed, the record kept.
        "review.tasks.remove_expired_export_files",
    }
    assert settings.CELERY_TIMEZONE == "Asia/Seoul"
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST


def test_the_embedded_default_broker_is_one_shared_folder():
    environment = os.environ.get("CELERY_BROKER_URL", "filesystem://")
    assert environment == settings.CELERY_BROKER_URL
    if environment.startswith("filesystem://"):
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        assert options["data_folder_in"] == options["data_folder_out"]
        assert options["control_folder"].startswith(options["data_folder_in"])


@pytest.mark.celery
@pytest.mark.postgres  # once, in the PostgreSQL stage: bin/run makes its own SQLite
def test_bin_run_brings_a_killed_worker_back_and_keeps_the_web_app_up(tmp_path):
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CELERY_", "DATABASE_URL", "REMINDER_", "EMAIL_"))
    }
    env.update(BUSAN_VAR_DIR=str(tmp_path / "var"), PORT=str(port))
    env["REMINDER_DELIVERY_INTERVAL_SECONDS"] = "1"  # beat's runs show the worker consuming
    log = tmp_path / "run.log"
    with log.open("wb") as out:
        run = subprocess.Popen(
            [str(settings.BASE_DIR / "bin" / "run")],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    text = lambda: log.read_text(errors="replace")  # noqa: E731
    workers: list[int] = []
    try:
        wait_for(lambda: status_of(port) == 200, timeout=240, message="bin/run serving")
        wait_for(lambda: READY.search(text()), timeout=90, message="the worker ready")
        workers = [int(pid) for pid in STARTED.findall(text())]
        os.kill(workers[0], signal.SIGKILL)

        wait_for(lambda: len(READY.findall(text())) == 2, timeout=90, message="worker back")
        workers = [int(pid) for pid in STARTED.findall(text())]
        assert len(workers) == 2
        assert "was killed by SIGKILL" in text()
        # The new worker consumes what its scheduler sends, and the web app never left.
        after_restart = len(text())
        wait_for(
            lambda: DELIVERED.search(text()[after_restart:]),
            timeout=60,
            message="a delivery run by the new worker",
        )
        assert status_of(port) == 200
        assert run.poll() is None
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGTERM)
        try:
            run.wait(timeout=60)
        finally:
            if run.poll() is None:
                os.killpg(run.pid, signal.SIGKILL)
    # Stopping bin/run stops its worker too (the supervisor's own process group).
    wait_for(lambda: not any(alive(pid) for pid in workers), timeout=30, message="workers gone")
    assert status_of(port) is None

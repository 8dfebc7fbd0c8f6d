"""bin/run starts the reminder worker with its scheduler on the embedded default."""

import os
import re
import subprocess
import sys

from django.conf import settings

RUN = (settings.BASE_DIR / "bin" / "run").read_text()


def test_bin_run_starts_a_worker_with_its_scheduler():
    assert re.search(r"celery\" -A busan_tracker worker -B\b", RUN)


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
    assert tasks == {"reminders.tasks.run_reminder_sweep", "reminders.tasks.deliver_reminders"}
    assert settings.CELERY_TIMEZONE == "Asia/Seoul"
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST


def test_the_embedded_default_broker_is_one_shared_folder():
    environment = os.environ.get("CELERY_BROKER_URL", "filesystem://")
    assert environment == settings.CELERY_BROKER_URL
    if environment.startswith("filesystem://"):
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        assert options["data_folder_in"] == options["data_folder_out"]
        assert options["control_folder"].startswith(options["data_folder_in"])

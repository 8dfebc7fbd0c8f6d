"""bin/supervise keeps the reminder worker running: it starts it again whenever it
stops, with back-off, clears what a dead worker left behind, and stops cleanly.

Driven with small shell commands standing in for the worker (the real worker under the
supervisor is in test_faults.py and test_run_command.py)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.reminders.workers import STARTED, SUPERVISE, alive, wait_for


class Supervised:
    def __init__(self, tmp_path: Path, *args: str):
        self.log = tmp_path / "supervise.log"
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, SUPERVISE, "--name", "test", *args],
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def text(self) -> str:
        return self.log.read_text()

    def started(self) -> list[int]:
        return [int(pid) for pid in STARTED.findall(self.text())]

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=20)
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
            self._log_file.close()


def test_a_command_that_keeps_failing_is_restarted_with_growing_back_off(tmp_path):
    supervised = Supervised(
        tmp_path, "--min-delay", "0.1", "--max-delay", "0.4", "--", "sh", "-c", "exit 3"
    )
    try:
        wait_for(lambda: len(supervised.started()) >= 5, timeout=20, message="five starts")
    finally:
        assert supervised.stop() == 0
    delays = re.findall(
        r"exited with status 3 after [\d.]+ s; restarting in ([\d.]+) s", supervised.text()
    )
    assert delays[:5] == ["0.1", "0.2", "0.4", "0.4", "0.4"]  # doubling, capped


def test_a_worker_killed_with_sigkill_comes_back_and_what_it_left_is_stopped(tmp_path):
    # The main process leaves a child of its own behind, as Celery's pool and embedded
    # beat would be when the worker's main process is killed.
    leftover = tmp_path / "leftover.pid"
    command = f"sleep 300 & echo $! > {leftover}; exec sleep 301"
    supervised = Supervised(tmp_path, "--min-delay", "0.1", "--", "sh", "-c", command)
    try:
        wait_for(lambda: supervised.started() and leftover.exists(), message="first start")
        wait_for(lambda: leftover.read_text().strip(), message="the leftover's pid")
        first, orphan = supervised.started()[0], int(leftover.read_text())
        os.kill(first, signal.SIGKILL)

        wait_for(lambda: len(supervised.started()) == 2, message="a second start")
        assert "was killed by SIGKILL" in supervised.text()
        assert not alive(orphan)
        assert alive(supervised.started()[1])
    finally:
        assert supervised.stop() == 0


def test_stopping_the_supervisor_stops_the_worker_and_does_not_restart_it(tmp_path):
    ready = tmp_path / "ready"
    # Like Celery's warm shutdown: on SIGTERM, finish the work in hand, then exit.
    command = f"trap 'sleep 0.3; exit 0' TERM; touch {ready}; while :; do sleep 0.1; done"
    supervised = Supervised(tmp_path, "--", "sh", "-c", command)
    wait_for(ready.exists, message="the command running")
    (pid,) = supervised.started()
    started = time.monotonic()
    assert supervised.stop() == 0
    assert time.monotonic() - started < 10
    assert not alive(pid)
    assert supervised.started() == [pid]
    assert "stopped" in supervised.text()


def test_a_run_that_lasted_resets_the_back_off(tmp_path):
    marker = tmp_path / "runs"
    # The first two runs fail at once, the third runs a while before failing.
    command = f'echo x >> {marker}; n=$(wc -l < {marker}); [ "$n" -eq 3 ] && sleep 0.6; exit 1'
    supervised = Supervised(
        tmp_path, "--min-delay", "0.1", "--reset-after", "0.5", "--", "sh", "-c", command
    )
    try:
        wait_for(lambda: len(supervised.started()) >= 4, timeout=20, message="four starts")
    finally:
        supervised.stop()
    delays = re.findall(r"restarting in ([\d.]+) s", supervised.text())
    assert delays[:3] == ["0.1", "0.2", "0.1"]


def test_stopping_asks_the_main_process_alone_so_its_pool_finishes_the_reminder(tmp_path):
    # The main process's helper stands in for Celery's pool process sending a reminder:
    # it must not be signalled while the main process winds down (a warm shutdown).
    ready, helper_signalled, verdict = (tmp_path / n for n in ("ready", "signalled", "verdict"))
    helper = f"trap 'touch {helper_signalled}; exit 0' TERM; while :; do sleep 0.1; done"
    command = (
        f'sh -c "{helper}" & '
        f"trap 'sleep 0.5; if [ -e {helper_signalled} ]; then echo during; else echo after; fi"
        f" > {verdict}; exit 0' TERM; touch {ready}; while :; do sleep 0.1; done"
    )
    supervised = Supervised(tmp_path, "--", "sh", "-c", command)
    wait_for(ready.exists, message="the command running")
    assert supervised.stop() == 0
    assert verdict.read_text().strip() == "after"
    # What the main process left behind is still stopped before the supervisor ends.
    assert helper_signalled.exists()


def test_a_worker_that_does_not_stop_is_killed_after_the_grace_period(tmp_path):
    ready = tmp_path / "ready"
    # A warm shutdown that hangs: SIGTERM ignored.
    command = f"trap '' TERM; touch {ready}; while :; do sleep 0.1; done"
    supervised = Supervised(tmp_path, "--stop-grace", "1", "--", "sh", "-c", command)
    wait_for(ready.exists, message="the command running")
    (pid,) = supervised.started()
    started = time.monotonic()
    assert supervised.stop() == 0
    assert 1 <= time.monotonic() - started < 10
    assert not alive(pid)
    assert f"pid {pid} still running; killing its group" in supervised.text()
    assert f"pid {pid} was killed by SIGKILL; stopped" in supervised.text()

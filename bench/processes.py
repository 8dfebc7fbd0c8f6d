"""The processes a benchmark run starts and stops: its database, gunicorn."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"


# --- processes ------------------------------------------------------------------


def run_step(args: list[str], env: dict, capture: bool = False, cwd: Path = ROOT) -> str:
    done = subprocess.run(
        args,
        cwd=cwd,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return done.stdout or ""


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    if not re.fullmatch(r"busan_bench\w*", name):
        raise SystemExit(f"refusing to recreate {name!r}: the benchmark database is busan_bench*")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def editable_tasks(url: str, head: str) -> list[list[int]]:
    """[pk, version] of the bench head's on-track tasks as they are now (an earlier run
    moved their versions on)."""
    import psycopg

    sql = """
        SELECT t.id, t.version FROM plans_keytask t
        JOIN plans_bureau b ON b.id = t.bureau_id
        WHERE t.status = 'on_track' AND EXISTS (
            SELECT 1 FROM plans_bureau h JOIN auth_user u ON u.id = h.head_id
            WHERE u.username = %s AND b.path LIKE h.path || '%%')
        ORDER BY t.id
    """
    with psycopg.connect(url) as conn:
        return [list(row) for row in conn.execute(sql, (head,)).fetchall()]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=1)
            conn.request("GET", "/bench/baseline")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on {HOST}:{port}")


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- the workers' memory ----------------------------------------------------------


def worker_pids(master: int) -> list[int]:
    """gunicorn's workers: the master's children."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            pids.append(int(stat.parent.name))
    return sorted(pids)


def peak_rss_mb(pids: list[int]) -> float:
    """The largest peak resident memory (VmHWM) among the processes, in MB."""
    peaks = [0.0]
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks)


def renew_workers(master: int, port: int, seconds: float = 60) -> list[int]:
    """New workers (HUP), so a peak measured next is the next requests' alone."""
    old = set(worker_pids(master))
    os.kill(master, signal.SIGHUP)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        now = set(worker_pids(master))
        if now and not now & old:
            break
        time.sleep(0.2)
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/bench/baseline")
    conn.getresponse().read()
    return worker_pids(master)

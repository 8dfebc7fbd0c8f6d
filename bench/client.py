"""The benchmark's HTTP client: simulated browsers (one keep-alive connection, cookies
and task slice each) that sign in, send a scenario's requests and time them."""

from __future__ import annotations

import http.client
import re
import statistics
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

HOST = "127.0.0.1"


@dataclass
class Worker:
    """One simulated browser: its own keep-alive connection, cookies and task slice."""

    tasks: list[list[int]]  # [pk, version] pairs this worker alone edits
    n: int = 0
    task: list[int] = field(default_factory=lambda: [0, 0])

    def begin(self) -> None:
        if self.tasks:
            self.task = self.tasks[self.n % len(self.tasks)]
        self.n += 1


# What the fill made that scenarios point at (its summary: the users, the briefing's
# session, a public task); bench/run.py fills it in before the first request.
FILLED: dict = {}

# The p95 ratio to the bare view a page must stay within (issue 17): a hot page, one
# people open many times a day, 4x; any other page 6x.
HOT_LIMIT = 4.0
PAGE_LIMIT = 6.0


@dataclass
class Scenario:
    name: str
    path: str | Callable[[Worker], str]
    # The URL pattern measured ("namespace:name"): the registry (bench/registry.py) holds
    # every pattern of the URL configuration to a scenario or a reason for having none.
    url: str = ""
    method: str = "GET"
    # A key of the sessions: "head", "staff", "mayor", "admin" (signed in) or "anonymous".
    user: str = "head"
    body: Callable[[Worker], dict] | None = None
    htmx: bool = False
    # Checks a response and updates the worker (e.g. the version an edit moved on to);
    # returns False for a response that must not count as a success.
    after: Callable[[Worker, int, bytes], bool] | None = None
    hot: bool = False  # opened many times a day: held to HOT_LIMIT, and driven by --load
    target: float | None = None  # a stricter p95 ratio than the page's limit
    document: bool = False  # a file (PDF, calendar): its time is printed, no ratio held
    requests: int | None = None  # fewer measured requests than --requests (slow documents)

    def path_for(self, worker: Worker) -> str:
        return self.path(worker) if callable(self.path) else self.path

    @property
    def limit(self) -> float | None:
        if self.document:
            return None
        limit = HOT_LIMIT if self.hot else PAGE_LIMIT
        return min(limit, self.target) if self.target else limit


@dataclass
class Export:
    """A file of the city-wide list, timed beside a bare writer of the same rows."""

    name: str
    path: str
    url: str
    kind: str  # "xlsx" or "csv"
    user: str = "mayor"
    limit: float = 1.5  # its time over the bare writer's (issue 17)
    seconds_limit: float | None = None  # and under this many seconds, if set


# --- HTTP client ----------------------------------------------------------------


class Session:
    """Cookies and CSRF token of one signed-in user. Production cookies are Secure;
    this client sends them over plain HTTP to 127.0.0.1 on purpose."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, conn, method: str, path: str, data: dict | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, payload

    def sign_in(self, username: str, password: str) -> None:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        status, page = self.request(conn, "GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token:
            raise SystemExit(f"sign-in page answered {status}")
        status, _ = self.request(
            conn,
            "POST",
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": token.group(1).decode(),
                "username": username,
                "password": password,
            },
        )
        conn.close()
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"signing in as {username} failed ({status})")


@dataclass
class Result:
    name: str
    latencies: list[float]
    seconds: float
    failures: int
    failed_statuses: list[int] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p95(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000

    @property
    def p99(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, round(0.99 * len(ordered)) - 1)] * 1000

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds


def merge(total: Result | None, part: Result) -> Result:
    if total is None:
        return part
    return Result(
        part.name,
        total.latencies + part.latencies,
        total.seconds + part.seconds,
        total.failures + part.failures,
        total.failed_statuses + part.failed_statuses,
    )


def measure(scenario, session, workers, requests, warmup, port) -> Result:
    """``requests`` requests spread over the workers, each on its own connection."""
    per_worker = max(1, requests // len(workers))
    latencies: list[float] = []
    failures = 0
    statuses: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(len(workers) + 1)

    def run(worker: Worker):
        nonlocal failures
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        headers = {"HX-Request": "true"} if scenario.htmx else {}
        mine, bad = [], 0
        try:
            for i in range(warmup + per_worker):
                if i == warmup:
                    start.wait()
                worker.begin()
                path = scenario.path_for(worker)
                data = scenario.body(worker) if scenario.body else None
                began = time.perf_counter()
                try:
                    status, payload = session.request(conn, scenario.method, path, data, headers)
                except (OSError, http.client.HTTPException):
                    # No answer in time, or a dropped connection: a failure, and a new one.
                    status, payload = 0, b""
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=60)
                elapsed = time.perf_counter() - began
                ok = scenario.after(worker, status, payload) if scenario.after else status == 200
                if i >= warmup:
                    mine.append(elapsed)
                    if not ok:
                        bad += 1
                        statuses.append(status)
        finally:
            conn.close()
            with lock:
                latencies.extend(mine)
                failures += bad

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return Result(scenario.name, latencies, time.perf_counter() - began, failures, statuses)


HEADER = (
    f"{'scenario':<22}{'p50 ms':>8}{'p95 ms':>8}{'req/s':>8}"
    f"  {'baseline p50/p95 ms, req/s':<28}{'p95 ratio':>10}"
)


def report_line(scenario: Scenario, result: Result, base: Result, ratio: float) -> str:
    verdict = ""
    if scenario.limit:
        met = "met" if ratio <= scenario.limit else "MISSED"
        verdict = f"  ({'hot, ' if scenario.hot else ''}limit {scenario.limit:g}x: {met})"
    return (
        f"{scenario.name:<22}{result.p50:>8.1f}{result.p95:>8.1f}{result.rps:>8.1f}"
        f"  {base.p50:>6.1f} / {base.p95:>6.1f}, {base.rps:>7.1f}    {ratio:>8.2f}x{verdict}"
    )

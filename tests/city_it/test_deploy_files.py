"""The systemd units run what the Procfile runs (the Procfile is what the production
stack test starts), so the two recipes in deploy/ cannot drift apart, and every file a
unit names is in the repository."""

import configparser
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
UNITS = ROOT / "deploy" / "systemd"
INSTALLED_AT = "/srv/busan/"


def procfile() -> dict[str, list[str]]:
    found = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        match = re.match(r"^(\w+):\s*(.+)$", line)
        if match:
            words = match[2].split()
            # Under honcho bin/supervise restarts a process; under systemd, Restart=always.
            if words[0] == "bin/supervise":
                words = words[words.index("--") + 1 :]
            found[match[1]] = words
    return found


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(UNITS / name)
    return parser


def command(name: str) -> list[str]:
    words = unit(name)["Service"]["ExecStart"].split()
    return [Path(words[0]).name, *words[1:]]


def test_the_units_run_the_procfiles_processes():
    processes = procfile()
    assert set(processes) == {"web", "worker", "beat"}
    assert command("busan-web.service") == processes["web"]
    # The worker unit names each instance (worker1@host) so several run side by side.
    assert command("busan-worker@.service") == [*processes["worker"], "--hostname=worker%i@%H"]
    beat = command("busan-beat.service")
    assert beat[:-1] == processes["beat"][:-1]
    assert beat[-1] == "--schedule=/var/lib/busan/celerybeat-schedule"


def test_every_process_comes_back_after_a_crash_and_belongs_to_the_site():
    for name in ("busan-web.service", "busan-worker@.service", "busan-beat.service"):
        service = unit(name)
        assert service["Service"]["Restart"] == "always", name
        assert service["Unit"]["PartOf"] == "busan.target", name
        assert service["Service"]["EnvironmentFile"] == "/etc/busan/busan.env", name


def test_stopping_a_worker_signals_its_main_process_alone_then_kills_what_is_left():
    # Celery's warm shutdown: the pool finishes the reminder in hand (bin/supervise does
    # the same for bin/run and the Procfile: tests/reminders/test_supervise.py).
    service = unit("busan-worker@.service")["Service"]
    assert service["KillSignal"] == "SIGTERM"
    assert service["KillMode"] == "mixed"
    assert int(service["TimeoutStopSec"]) > 0


def test_the_files_the_units_name_are_in_the_repository():
    for path in UNITS.glob("*.service"):
        for word in unit(path.name)["Service"]["ExecStart"].split():
            if word.startswith(INSTALLED_AT) and "/.venv/" not in word:
                assert (ROOT / word.removeprefix(INSTALLED_AT)).exists(), (path.name, word)
    assert (ROOT / "deploy" / "gunicorn.conf.py").exists()
    timer = unit("busan-backup.timer")
    assert timer["Timer"]["OnCalendar"] and timer["Timer"]["Persistent"] == "true"


def test_the_example_environment_names_only_settings_the_readme_documents():
    readme = (ROOT / "README.md").read_text()
    example = (ROOT / "deploy" / "busan.env.example").read_text()
    names = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    undocumented = sorted(name for name in names if f"`{name}`" not in readme)
    assert not undocumented, f"add to the README's settings table: {undocumented}"

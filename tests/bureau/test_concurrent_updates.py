"""Many people (threads, each with its own PostgreSQL connection) updating one task at
once: every accepted change is in the history with consecutive versions, and nothing
is lost or silently overwritten."""

import itertools
import threading
from collections import Counter

import pytest
from django.db import close_old_connections, connection

from plans import services
from plans.models import KeyTask

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 8
ATTEMPTS = 12


def run_in_threads(target, n):
    errors = []

    def wrapped(i):
        try:
            target(i)
        except Exception as error:  # surfaced in the main thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert not errors, errors
    close_old_connections()


def test_editors_who_saw_the_same_version_get_one_acceptance_and_the_rest_conflicts(city):
    task_pk = city.economy_task.pk
    start = threading.Barrier(WORKERS)
    outcomes = Counter()
    lock = threading.Lock()

    def editor(i):
        task = KeyTask.objects.get(pk=task_pk)
        start.wait()
        try:
            services.update_key_task(
                task, by=city.economy_head, expected_version=1, progress=50 + i, note=f"w{i}"
            )
            outcome = "accepted"
        except services.EditConflict:
            outcome = "conflict"
        with lock:
            outcomes[outcome] += 1

    run_in_threads(editor, WORKERS)
    assert outcomes == {"accepted": 1, "conflict": WORKERS - 1}
    task = KeyTask.objects.get(pk=task_pk)
    assert task.version == 2
    (entry,) = task.history.all()
    assert entry.new_value == str(task.progress)


def test_many_concurrent_updates_keep_every_accepted_change_in_the_history(city):
    task_pk = city.economy_task.pk
    accepted: list[tuple[int, str, int]] = []  # (version, note, progress)
    conflicts = Counter()
    lock = threading.Lock()
    start = threading.Barrier(WORKERS)

    def editor(i):
        start.wait()
        for attempt in range(ATTEMPTS):
            task = KeyTask.objects.get(pk=task_pk)  # what this editor's page showed
            progress = 1 + (i * ATTEMPTS + attempt) % 99
            note = f"worker {i} attempt {attempt}"
            try:
                saved = services.update_key_task(
                    task,
                    by=city.economy_head,
                    expected_version=task.version,
                    progress=progress if progress != task.progress else progress % 99 + 1,
                    note=note,
                )
            except services.EditConflict:
                with lock:
                    conflicts[i] += 1
                continue
            with lock:
                accepted.append((saved.version, note, saved.progress))

    run_in_threads(editor, WORKERS)

    task = KeyTask.objects.get(pk=task_pk)
    versions = sorted(version for version, _note, _progress in accepted)
    # Every accepted change got its own version, one after another, none skipped.
    assert versions == list(range(2, 2 + len(accepted)))
    assert task.version == 1 + len(accepted)
    assert len(accepted) > 1 and sum(conflicts.values()) > 0  # real contention happened
    assert len(accepted) + sum(conflicts.values()) == WORKERS * ATTEMPTS
    # Each is in the history exactly once, with its note and value.
    history = {
        row.version: (row.note, row.new_value) for row in task.history.filter(kind="progress")
    }
    assert task.history.count() == len(accepted)
    for version, note, progress in accepted:
        assert history[version] == (note, str(progress))
    # Each change starts from the value the one before it left: nothing overwritten unseen.
    rows = list(task.history.order_by("version").values_list("old_value", "new_value"))
    assert rows[0][0] == "40"
    for (_old, new), (next_old, _next_new) in itertools.pairwise(rows):
        assert next_old == new
    _last_version, _note, last_progress = max(accepted)
    assert task.progress == last_progress

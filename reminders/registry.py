"""The subjects the reminders app sends itself: key tasks, milestones and the weekly
digest. Registered from ``RemindersConfig.ready``; other apps register theirs from
their own AppConfig (``meetings`` registers report-session preparation)."""

from . import digest, key_tasks, subjects


def register_own_subjects() -> None:
    subjects.register(key_tasks.TASKS)
    subjects.register(key_tasks.MILESTONES)
    subjects.register(digest.DIGESTS)

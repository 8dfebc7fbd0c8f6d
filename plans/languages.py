"""Which language a person reads. Pages get it from the middleware; anything rendered
for someone who is not making the request (a reminder email, an export made by a
Celery task) asks here, so it arrives in the recipient's language:

    with in_language_of(task.owner):
        subject = render_to_string("plans/emails/reminder-subject.txt", context)
"""

from contextlib import contextmanager

from django.conf import settings
from django.utils import translation


def language_of(user) -> str:
    """The user's saved language, else the city's (Korean)."""
    profile = getattr(user, "profile", None) if user is not None else None
    language = getattr(profile, "language", None)
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


@contextmanager
def in_language_of(user):
    with translation.override(language_of(user)):
        yield

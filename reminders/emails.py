"""Emails rendered from three templates, like healthchecks' hc/lib/emails.py:
``emails/<name>-subject.txt``, ``-body-text.txt`` and ``-body-html.html``, in the
recipient's language and with dates in Asia/Seoul."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from plans import links
from plans.languages import language_of


def make_message(
    name: str,
    to,
    context: dict,
    *,
    headers: dict | None = None,
    connection=None,
) -> EmailMultiAlternatives:
    """The email ``name`` for user ``to``, rendered in their language."""
    language = language_of(to)
    context = {**context, "recipient": to, "site_url": links.site_url(), "language": language}
    with translation.override(language), timezone.override(settings.TIME_ZONE):
        subject = render_to_string(f"emails/{name}-subject.txt", context)
        text = render_to_string(f"emails/{name}-body-text.txt", context)
        html = render_to_string(f"emails/{name}-body-html.html", context)
    # A subject is one line, whatever the template's whitespace.
    subject = " ".join(subject.split())
    message = EmailMultiAlternatives(
        subject, text, to=[to.email], headers=headers or {}, connection=connection
    )
    message.attach_alternative(html, "text/html")
    return message

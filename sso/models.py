"""What single sign-on changed: a person's bureau or mayor's-office role set from the
city's directory at sign-in, with what the directory said. Append-only, like a key
task's history: city IT reads it in the admin; nothing edits or deletes a row."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DirectoryChange(models.Model):
    class Source(models.TextChoices):
        LDAP = "ldap", _("LDAP / Active Directory")
        OIDC = "oidc", _("OpenID Connect")

    class Field(models.TextChoices):
        BUREAU = "bureau", _("bureau")
        MAYORS_OFFICE = "is_mayors_office", _("mayor's office")

    # Kept when the account is deleted: the user name below still says whose it was.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("user name"), max_length=150)
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    field = models.CharField(_("field"), max_length=30, choices=Field.choices)
    # Bureaus by their code, the role as "yes"/"no"; empty: none.
    old_value = models.CharField(_("old value"), max_length=200, blank=True)
    new_value = models.CharField(_("new value"), max_length=200, blank=True)
    directory_value = models.TextField(
        _("what the directory said"),
        blank=True,
        help_text=_("The attribute value, claim or group that decided the change."),
    )

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("directory change")
        verbose_name_plural = _("directory changes")
        indexes = [models.Index(fields=["user", "-changed_at"])]

    def __str__(self) -> str:
        return f"{self.username}: {self.get_field_display()} {self.old_value} → {self.new_value}"

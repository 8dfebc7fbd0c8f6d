"""The city's admin site: Django's, with its list of apps and models worked out once for
each set of permissions.

Django builds that list (the sidebar and the index) on every admin page: for each of the
25 registered models it asks what the person may do and writes the model's two
addresses, 50 ``reverse`` calls, 4 of the key task list's 40 ms on the bench. Given what
the person may do with each model and the language (the list is sorted by name), the
list is always the same, so the permissions are still asked on every page and the list
is kept under their answers: a permission granted or taken away is another key, shown
at once.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import get_script_prefix
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Different keys come from languages and sets of permissions: a handful of each.
KEPT = 256


class AppList(list):
    """The app list, with the key it is kept under (for what is rendered from it)."""

    key: tuple = ()


class CityAdminSite(admin.AdminSite):
    # The admin says whose it is, in the reader's language (not "Django administration").
    site_header = _("Busan work-plan tracker · administration")
    site_title = _("Busan work-plan tracker administration")
    index_title = _("Plan data, people and records")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._app_lists: dict[tuple, AppList] = {}

    def get_app_list(self, request, app_label=None):
        key = (get_language(), get_script_prefix(), app_label, self._allowed(request, app_label))
        app_list = self._app_lists.get(key)
        if app_list is None:
            if len(self._app_lists) >= KEPT:
                self._app_lists.clear()
            app_list = AppList(super().get_app_list(request, app_label))
            app_list.key = key
            self._app_lists[key] = app_list
        return app_list

    def _allowed(self, request, app_label) -> tuple:
        """What the person may do with each model, asked as Django's app list asks it."""
        allowed = []
        for model, model_admin in self._registry.items():
            if app_label and model._meta.app_label != app_label:
                continue
            if model_admin.has_module_permission(request):
                perms = model_admin.get_model_perms(request)
                allowed.append((model._meta.label, *sorted(perms.items())))
            else:
                allowed.append((model._meta.label, None))
        return tuple(allowed)


class CityAdminConfig(AdminConfig):
    """Django's admin app, on the city's site: in INSTALLED_APPS in its place."""

    default_site = "plans.admin_site.CityAdminSite"

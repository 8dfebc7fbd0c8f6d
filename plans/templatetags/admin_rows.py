"""The rows of an admin list, in Django's markup without its per-cell work:
``{% load admin_rows %}{% admin_result_list cl %}`` in place of ``{% result_list cl %}``.

Django's ``items_for_result`` works every cell out afresh: which field it is, its empty
value, its CSS class, whether it links, the change page's address (a ``reverse`` and the
filters to keep, per row), the yes/no icon's static address. On the key task list (50
rows of 9 columns) that was 28 of its 70 ms, and the template took 5 more to put the
450 cells together. Here each column is worked out once per page, the change address
once with a stand-in for the key, a value seen again on the page (a status, a date, a
sector) is formatted once, and each row comes to the template as one piece.

The cells go through Django's own ``display_for_field``, so they show what Django's rows
show. A list this does not cover (a column that is an admin method, a property or the
action checkbox, list editing, a popup picking an object) gets Django's rows unchanged.
"""

import datetime as dt

from django import template
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import display_for_field, quote
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()

# Stands for the object's key in the change address worked out once per page: letters
# only, so the admin's quoting and the address's escaping leave it as it is.
KEY = "ADMINROWSKEY"
# A date, a number or a yes/no shows the same in one language on every page (unlike a
# date-time, which follows the time zone), so its cell is kept for the process: 50
# due dates took 2 ms to format on each page of key tasks.
_LASTING = {bool, int, dt.date, type(None)}
LASTING_KEPT = 5000
_lasting: dict[tuple, str] = {}


@register.tag(name="admin_result_list")
def admin_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )


def _result_list(cl):
    """Django's ``result_list`` context, its rows written here when this module can."""
    written = rows(cl)
    if written is None:
        return admin_list.result_list(cl)
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": [],
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": written,
    }


def rows(cl):
    """The list's rows, each the markup of Django's ``admin_list.results(cl)`` for it,
    or None when a column or the list's mode is one this module leaves to Django.

    A row is one item, its cells already joined: the results template's inner loop
    then runs once a row, not once a cell (450 template variables on the key tasks)."""
    columns = _columns(cl)
    if columns is None:
        return None
    before, after = _change_address(cl)
    pk = cl.lookup_opts.pk.attname
    written = []
    for obj in cl.result_list:
        cells = []
        for opening, cell, closing, linked in columns:
            text = cell(obj)
            if linked:
                key = conditional_escape(quote(getattr(obj, pk)))
                text = f'<a href="{before}{key}{after}">{text}</a>'
            cells.append(f"{opening}{text}{closing}")
        written.append(admin_list.ResultList(None, [SafeString("".join(cells))]))
    return written


def _columns(cl):
    """(opening tag, cell function, closing tag, whether it links) per column."""
    if cl.formset or cl.is_popup or cl.to_field:
        return None
    empty = conditional_escape(cl.model_admin.get_empty_value_display())
    columns = []
    first = True
    for name in cl.list_display:
        field = _model_field(cl.lookup_opts, name)
        if field is None:
            return None
        linked = _links(cl, name, first)
        tag = "th" if linked and first else "td"
        first = first and not linked
        nowrap = isinstance(field, (models.DateField, models.TimeField, models.ForeignKey))
        classes = f"field-{name} nowrap" if nowrap else f"field-{name}"
        cell = _related_cell(field, empty) if field.many_to_one else _cell(field, empty, linked)
        columns.append((f'<{tag} class="{classes}">', cell, f"</{tag}>", linked))
    return columns


def _model_field(opts, name):
    """The model's own field (a value or a foreign key) a column shows, else None."""
    if not isinstance(name, str):
        return None
    try:
        field = opts.get_field(name)
    except FieldDoesNotExist:
        return None
    if field.name != name or field.auto_created or not field.concrete:
        return None
    if field.is_relation and not (field.many_to_one and not field.one_to_one):
        return None
    return field


def _links(cl, name, first):
    # Django's link_in_col: the first column unless list_display_links says otherwise.
    if cl.list_display_links is None:
        return False
    if first and not cl.list_display_links:
        return True
    return name in cl.list_display_links


def _related_cell(field, empty):
    shown = {}  # the related object's key -> its name, for this page

    def cell(obj):
        key = getattr(obj, field.attname)
        if key is None:
            return empty
        if key not in shown:
            try:
                shown[key] = conditional_escape(getattr(obj, field.name))
            except ObjectDoesNotExist:
                shown[key] = empty
        return shown[key]

    return cell


def _cell(field, empty, linked):
    shown = {}  # value -> its cell, for this page (one language, one time zone)
    # A text without choices shows as itself: display_for_field's last case.
    as_text = not field.flatchoices and not isinstance(
        field, (models.URLField, models.FileField, models.JSONField)
    )
    language = get_language()

    def display(value):
        return conditional_escape(display_for_field(value, field, empty, avoid_link=linked))

    def cell(obj):
        value = getattr(obj, field.attname)
        if isinstance(value, str):
            value = value if value.strip() else ""  # as Django's rows: blank is empty
            if as_text and value:
                return escape(value)
        if type(value) in _LASTING:
            key = (field, empty, linked, language, value)
            text = _lasting.get(key)
            if text is None:
                if len(_lasting) >= LASTING_KEPT:
                    _lasting.clear()
                text = _lasting[key] = display(value)
            return text
        try:
            text = shown[value]
        except KeyError:
            text = shown[value] = display(value)
        except TypeError:  # an unhashable value (JSON)
            text = display(value)
        return text

    return cell


def _change_address(cl):
    """The change page's address, escaped, split where the object's key goes."""
    stand_in = type("StandIn", (), {cl.pk_attname: KEY})()
    url = add_preserved_filters(
        {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, cl.url_for_result(stand_in)
    )
    before, _, after = conditional_escape(url).partition(KEY)
    return before, after

"""The select for the city's 400 bureaus is written in Python (plans.widgets.LongSelect)
but reads exactly as Django's own select: same options, escaping, selection, groups,
attributes."""

import re

import pytest
from django import forms

from plans.widgets import LongSelect

CHOICES = [
    ("", "전체"),
    ("1", '경제<정책>실 & "금융"'),
    ("국", [("2", "복지국"), ("3", "안전국")]),
]


def form_class(widget):
    class Form(forms.Form):
        bureau = forms.ChoiceField(choices=CHOICES, required=False, widget=widget)
        owner = forms.ChoiceField(choices=CHOICES, widget=widget(attrs={"class": "x"}))

    return Form


def markup(html) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize(
    "data", [{}, {"bureau": "1", "owner": "3"}, {"bureau": "<script>", "owner": ""}]
)
def test_it_writes_what_djangos_select_writes(data):
    django_form = form_class(forms.Select)(data or None)
    ours = form_class(LongSelect)(data or None)
    django_form.is_valid(), ours.is_valid()
    for name in ("bureau", "owner"):
        assert markup(ours[name]) == markup(django_form[name])
    if data.get("bureau") == "1":
        assert '<option value="1" selected>' in markup(ours["bureau"])

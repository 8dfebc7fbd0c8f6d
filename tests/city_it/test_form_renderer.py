"""The form renderer writes the plainest widgets and our field row in Python
(plans.renderers) exactly as their templates write them: same markup, escaping, values
and attributes."""

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from plans.renderers import FIELD, FormRenderer


class Everything(forms.Form):
    text = forms.CharField(
        label='이름 & "별칭"',
        help_text="<b>짧게</b> 써 주세요",
        max_length=20,
        widget=forms.TextInput(attrs={"class": "x", "autofocus": True}),
    )
    number = forms.IntegerField(
        min_value=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    email = forms.EmailField(required=False)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    when = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), required=False)
    agree = forms.BooleanField(required=False)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "disabled": False}), required=False
    )
    url = forms.URLField(required=False, assume_scheme="https")
    status = forms.ChoiceField(
        choices=[
            ("", "—"),
            ("on_track", "정상 <추진>"),
            ("그룹 & 묶음", [("a", "A"), ("b", '"B"')]),
        ]
    )
    several = forms.MultipleChoiceField(choices=[("1", "하나"), ("2", "둘")], required=False)


class Templates(DjangoTemplates):
    """Every template rendered as a template, our field row (plans/_field.html) too."""

    field_template_name = FIELD


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "text": '<b>"경제" & 일자리</b>',
            "number": "12",
            "email": "a@b.kr",
            "password": "x'y",
            "hidden": "7",
            "date": "2024-06-30",
            "when": "10:00",
            "agree": "on",
            "note": "첫 줄\n<script>alert(1)</script>",
            "url": "javascript:alert(1)",
            "status": "b",
            "several": ["1", "2"],
        },
        {"number": "-1", "date": "not a date", "text": "x" * 30},
    ],
)
def test_it_writes_what_djangos_templates_write(data):
    initial = {"date": dt.date(2024, 1, 31), "note": mark_safe("<i>kept</i>"), "hidden": 3}
    ours = Everything(data, initial=initial, renderer=FormRenderer())
    django = Everything(data, initial=initial, renderer=Templates())
    ours.is_valid(), django.is_valid()
    for name in Everything.base_fields:
        assert str(ours[name]) == str(django[name]), name
        assert ours[name].as_field_group() == django[name].as_field_group(), name
        assert str(ours[name].errors) == str(django[name].errors), name
    # Everything else (labels, errors, whole forms) is Django's own rendering.
    assert ours.as_div() == django.as_div()

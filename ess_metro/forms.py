"""Form building blocks shared by every app: the date widgets.

A browser's ``<input type="date">`` understands only ISO dates (``2024-02-12``); a value in
the French format (``12/02/2024``) shows as an empty field, and saving the form then loses the
date. ``DateInput`` and ``DateTimeInput`` always render ISO values, whatever the language;
every date field of every form uses them (``tests/test_forms_dates.py`` walks them all).
"""

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATETIME)

"""Every date field of every form renders its value as an ISO date, which is what a browser's
``<input type="date">`` shows, and reads it back unchanged."""

import datetime
import importlib
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.utils import timezone

from ess_metro.forms import DateInput, DateTimeInput


def _import_form_modules():
    for config in apps.get_app_configs():
        if config.name.split(".")[0] not in {
            "ess_metro",
            "programme",
            "projects",
            "governance",
            "communication",
        }:
            continue
        package = importlib.import_module(config.name)
        for module in pkgutil.walk_packages(package.__path__, f"{config.name}."):
            if module.name.rsplit(".", 1)[-1] in {"forms", "filters"} or ".forms." in module.name:
                importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _project_forms():
    _import_form_modules()
    found = {
        form
        for form in _subclasses(forms.BaseForm)
        if form.__module__.split(".")[0]
        in {"ess_metro", "programme", "projects", "governance", "communication"}
    }
    return sorted(found, key=lambda form: f"{form.__module__}.{form.__qualname__}")


def _date_fields():
    for form in _project_forms():
        for name, field in getattr(form, "base_fields", {}).items():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                yield pytest.param(
                    form, name, field, id=f"{form.__module__}.{form.__name__}.{name}"
                )


DATE_FIELDS = list(_date_fields())


def test_the_project_has_date_fields():
    assert len(DATE_FIELDS) >= 15


@pytest.mark.parametrize(("form", "name", "field"), DATE_FIELDS)
def test_date_field_round_trips_its_initial_value(form, name, field):
    if isinstance(field, forms.DateTimeField):
        assert isinstance(field.widget, DateTimeInput), "use ess_metro.forms.DateTimeInput"
        value = timezone.make_aware(datetime.datetime(2024, 2, 12, 9, 30))
        expected = "2024-02-12T09:30"
    else:
        assert isinstance(field.widget, DateInput), "use ess_metro.forms.DateInput"
        value = datetime.date(2024, 2, 12)
        expected = "2024-02-12"
    html = field.widget.render(name, value)
    assert f'value="{expected}"' in html
    assert field.clean(field.widget.value_from_datadict({name: expected}, {}, name)) == value

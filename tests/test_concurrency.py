"""Optimistic concurrency on every staff edit form: a save based on an older version is refused.

Each page is loaded (the form a person has open in a tab), someone else then saves the same
object, and the form is sent as the page would send it: nothing is saved, the message says why,
and what was typed comes back.
"""

from html import unescape
from html.parser import HTMLParser

import pytest
from django import forms
from django.urls import reverse

from demo.factories import communication as communication_factories
from demo.factories import programme as programme_factories
from demo.factories.calls import CallFactory
from demo.factories.conventions import StructuringProjectFactory
from demo.factories.core import MandateFactory, make_staff
from demo.factories.governance import AgendaItemFactory, MeetingFactory
from ess_metro.concurrency import VERSION_FIELD, VersionedFormMixin, VersionedModel


class FormParser(HTMLParser):
    """The fields of the page's form that carries the version, as the browser would send them."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "form":
            self.forms.append([])
        elif tag == "option" and self.select and "selected" in attrs:
            self.forms[-1].append((self.select, attrs.get("value", "")))
        elif not self.forms or not name:
            return
        elif tag == "input" and attrs.get("type") not in ("submit", "file", "button"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.forms[-1].append((name, attrs.get("value") or "on"))
                return
            self.forms[-1].append((name, attrs.get("value") or ""))
        elif tag == "textarea":
            self.textarea = [name, ""]
        elif tag == "select":
            self.select = name

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            self.forms[-1].append((self.textarea[0], unescape(self.textarea[1]).lstrip("\n")))
            self.textarea = None
        elif tag == "select":
            self.select = None

    def versioned_form(self) -> dict:
        found = [fields for fields in self.forms if any(n == VERSION_FIELD for n, _v in fields)]
        assert len(found) == 1, "the page has one form carrying the version"
        data: dict[str, list[str]] = {}
        for name, value in found[0]:
            data.setdefault(name, []).append(value)
        return data


def _programme_line():
    return programme_factories.LineFactory()


def _working_group():
    group = communication_factories.WorkingGroupFactory()
    group.members.add(make_staff())
    return group


CASES = {
    "projects:staff_call_update": (CallFactory, "pk"),
    "projects:structuring_project_update": (StructuringProjectFactory, "pk"),
    "governance:meeting_update": (MeetingFactory, "pk"),
    "governance:item_update": (AgendaItemFactory, "item_pk"),
    "governance:mandate_update": (MandateFactory, "pk"),
    "communication:staff_event_update": (communication_factories.EventFactory, "pk"),
    "communication:staff_news_update": (communication_factories.NewsFactory, "pk"),
    "communication:group_update": (_working_group, "pk"),
    "communication:dataset_update": (communication_factories.DatasetFactory, "pk"),
    "programme:staff_line_update": (_programme_line, "pk"),
    "programme:staff_tool_update": (programme_factories.ToolFactory, "pk"),
    "programme:staff_programme_update": (programme_factories.ProgrammeFactory, "pk"),
    "programme:staff_indicator_update": (programme_factories.IndicatorFactory, "pk"),
    "programme:staff_endowment_update": (programme_factories.EndowmentFactory, "pk"),
    "programme:staff_support_update": (programme_factories.SupportFactory, "pk"),
}


@pytest.mark.parametrize("url_name", sorted(CASES))
def test_a_stale_staff_form_is_refused_and_keeps_what_was_typed(staff_client, url_name):
    factory, key = CASES[url_name]
    obj = factory()
    url = reverse(url_name, kwargs={key: obj.pk})
    page = staff_client.get(url)
    assert page.status_code == 200
    parser = FormParser()
    parser.feed(page.content.decode())
    data = parser.versioned_form()
    loaded = int(data[VERSION_FIELD][0])
    type(obj).objects.get(pk=obj.pk).save()  # someone else saves meanwhile
    response = staff_client.post(url, data)
    content = response.content.decode()
    assert response.status_code in (200, 400, 409), "re-rendered, not saved"
    assert "modifié ailleurs" in content
    assert f'name="{VERSION_FIELD}" value="{loaded + 1}"' in content  # saving again is a choice
    assert type(obj).objects.get(pk=obj.pk).lock_version == loaded + 1  # nothing saved
    response = staff_client.post(url, {**data, VERSION_FIELD: [str(loaded + 1)]})
    assert response.status_code == 302  # the second, informed save goes through


def _all_subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _all_subclasses(subclass)


def test_every_versioned_form_edits_a_versioned_model():
    versioned = [form for form in _all_subclasses(VersionedFormMixin) if hasattr(form, "_meta")]
    assert len(versioned) >= 20
    for form in versioned:
        assert issubclass(form._meta.model, VersionedModel), form


def test_every_model_form_of_a_versioned_model_checks_the_version():
    unchecked = [
        form
        for form in _all_subclasses(forms.ModelForm)
        if getattr(form._meta, "model", None) is not None
        and issubclass(form._meta.model, VersionedModel)
        and not issubclass(form, VersionedFormMixin)
        and form.__module__.split(".")[0] != "django"
    ]
    assert unchecked == []

"""E-mails are plain text: an apostrophe, a quote, ``<`` and ``&`` reach the reader as typed."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from demo.factories import core as factories
from demo.factories.calls import ApplicationFactory
from ess_metro.notifications import render_text
from projects.calls import notifications as call_notifications

TRICKY = 'L\'appel « innovation » "solidaire" <2027> & co'
ESCAPES = ("&#x27;", "&#39;", "&quot;", "&lt;", "&gt;", "&amp;")
EMAIL_DIR = Path(settings.BASE_DIR) / "templates" / "email"
# Rendered by Django's own password reset form, not by notify(): tested through the page below.
NOT_THROUGH_NOTIFY = {"accounts/password_reset"}
DATE_PARTS = {"month", "day", "hour", "minute", "second", "microsecond", "tzinfo"}
DATE_PARTS |= {"timetuple", "utcoffset", "weekday", "isoweekday", "toordinal", "isocalendar"}


class Tricky(str):
    """A value that answers every attribute with itself, so any template renders with it."""

    def __new__(cls):
        return super().__new__(cls, TRICKY)

    def __getattr__(self, name):
        if name.startswith("__") or name in DATE_PARTS:
            raise AttributeError(name)  # not a date: the |date filter renders nothing
        if name == "year":
            return 2027
        return 1 if name in {"pk", "id"} else Tricky()

    def __getitem__(self, key):
        if isinstance(key, (int, slice)):
            return str.__getitem__(self, key)
        return getattr(self, key)

    def __iter__(self):
        return iter([Tricky(), Tricky()])


def email_templates():
    names = sorted(
        str(path.relative_to(EMAIL_DIR))[: -len("_body.txt")]
        for path in EMAIL_DIR.rglob("*_body.txt")
    )
    return [name for name in names if name not in NOT_THROUGH_NOTIFY]


def assert_plain(text):
    for escape in ESCAPES:
        assert escape not in text, f"{escape!r} in {text!r}"


def test_every_email_template_is_listed():
    assert len(email_templates()) >= 20


class Everything(dict):
    """A context where every name is defined, as a tricky value."""

    def __contains__(self, key):
        return key not in {"True", "False", "None"}

    def __missing__(self, key):
        return Tricky()


@pytest.mark.parametrize("template", email_templates())
def test_every_email_template_renders_values_as_typed(template):
    """Each template, rendered as notify() renders it, with every variable a tricky value."""
    with translation.override("fr"):
        subject = render_text(f"email/{template}_subject.txt", Everything())
        body = render_text(f"email/{template}_body.txt", Everything())
    assert_plain(subject)
    assert_plain(body)
    assert TRICKY in subject + body


@pytest.mark.django_db
def test_documents_requested_email_keeps_apostrophes(applicant, django_capture_on_commit_callbacks):
    application = ApplicationFactory(created_by=applicant, title=TRICKY)
    with django_capture_on_commit_callbacks(execute=True):
        call_notifications.documents_requested(application, comment=TRICKY)
    message = mail.outbox[-1]
    assert TRICKY in message.body
    assert_plain(message.body)


@pytest.mark.django_db
def test_password_reset_email_is_plain_text(anonymous_client, django_capture_on_commit_callbacks):
    user = factories.make_applicant(user__first_name="D'Artagnan <&>")
    with django_capture_on_commit_callbacks(execute=True):
        anonymous_client.post(reverse("accounts:password_reset"), {"email": user.email})
    message = mail.outbox[-1]
    assert "Bonjour D'Artagnan <&>," in message.body
    assert_plain(message.body)

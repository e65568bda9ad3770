"""The kernel building blocks on real models and a real database: the audit trail, the
service action view, protected downloads, e-mails after the commit, money and percentages,
the staff to e-mail."""

from decimal import Decimal

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.test import RequestFactory

from communication.models import Dataset
from demo.factories.calls import ApplicationFactory, add_attachment
from demo.factories.conventions import make_convention
from demo.factories.core import OrganisationFactory, UserFactory, make_staff
from ess_metro import money
from ess_metro.actions import ServiceActionView
from ess_metro.audit import audit_entries, mask
from ess_metro.directory.models import Organisation
from ess_metro.downloads import protected_download
from ess_metro.notifications import notify
from ess_metro.permissions import staff_recipients

pytestmark = pytest.mark.django_db

# --- audit trail -------------------------------------------------------------------------------


def test_audit_trail_writes_a_row_only_when_an_audited_field_changes():
    organisation = OrganisationFactory(siret="44306184100021")
    assert organisation.history.count() == 1  # the creation
    organisation.name = "Nouveau nom"
    organisation.description = "Une activité."
    organisation.save()
    assert organisation.history.count() == 1  # name and activity are not audited
    reloaded = Organisation.objects.get(pk=organisation.pk)
    reloaded.save()
    assert reloaded.history.count() == 1  # saving unchanged values writes nothing
    reloaded.ape_code = "94.99Z"
    reloaded.save()
    assert reloaded.history.count() == 2


def test_audit_trail_records_before_after_and_who():
    organisation = OrganisationFactory(siret="44306184100021", ape_code="88.99B")
    editor = UserFactory(first_name="Claire", last_name="Dupont")
    organisation.siret = "73282932000074"
    organisation._history_user = editor
    organisation.save()
    latest = audit_entries(organisation)[0]
    assert (latest.before, latest.after, latest.user) == (
        "44306184100021",
        "73282932000074",
        editor,
    )
    assert latest.field == "SIRET"
    creation = [entry for entry in audit_entries(organisation) if entry.field == "code APE/NAF"]
    assert [(entry.before, entry.after) for entry in creation] == [("", "88.99B")]


def test_audit_trail_shows_amounts_in_euros_and_shares_as_numbers():
    from demo.factories.calls import CallFactory

    call = CallFactory(aid_cap=Decimal("15000.00"), max_share=Decimal("50.00"))
    call.aid_cap = Decimal("20000.00")
    call.max_share = Decimal("60.00")
    call.save()
    changes = {entry.field: (entry.before, entry.after) for entry in audit_entries(call)[:2]}
    assert changes[str(call._meta.get_field("aid_cap").verbose_name)] == (
        "15\u00a0000,00\u00a0€",
        "20\u00a0000,00\u00a0€",
    )
    assert changes[str(call._meta.get_field("max_share").verbose_name)] == ("50,00", "60,00")


def test_audit_trail_masks_a_masked_field():
    convention = make_convention()
    convention.iban = "FR7630006000011234567890189"
    convention.save()
    convention.iban = "FR7610278000011234567890123"
    convention.save()
    entries = [entry for entry in audit_entries(convention) if entry.field == "IBAN"]
    assert [(entry.before, entry.after) for entry in entries] == [
        ("FR76 •••• 0189", "FR76 •••• 0123"),
        ("", "FR76 •••• 0189"),
    ]
    assert mask("") == "" and mask("12345678") == "••••" and mask("123456789") == "1234 •••• 6789"


# --- service action view -----------------------------------------------------------------------


class SiretForm(forms.Form):
    siret = forms.CharField()
    note = forms.CharField(required=False)


class ChangeSiretView(ServiceActionView):
    form_class = SiretForm
    template_name = "components/form.html"

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "submit_label": "Enregistrer"}

    def perform(self, organisation, data):
        if data["siret"] == organisation.siret:
            raise ValidationError({"siret": "Ce SIRET est déjà celui de la structure."})
        raise ValidationError("Le service refuse tout.")


class NoFormView(ChangeSiretView):
    form_class = None
    template_name = ""

    def perform(self, organisation, data):
        raise ValidationError("Action impossible aujourd'hui.")


def _post(view, user, pk, data):
    request = RequestFactory().post("/action/", data)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request, view.as_view()(request, pk=pk)


def test_service_error_goes_next_to_its_field_and_keeps_what_was_typed():
    organisation = OrganisationFactory(siret="44306184100021")
    data = {"siret": "44306184100021", "note": "gardé tel quel"}
    _request, response = _post(ChangeSiretView, make_staff(), organisation.pk, data)
    content = response.content.decode()
    assert response.status_code == 422
    assert "Ce SIRET est déjà celui de la structure." in content
    assert content.index("Ce SIRET est déjà") > content.index('name="siret"')
    assert 'value="gardé tel quel"' in content


def test_service_error_without_a_field_goes_on_top_of_the_form():
    organisation = OrganisationFactory(siret="44306184100021")
    _request, response = _post(ChangeSiretView, make_staff(), organisation.pk, {"siret": "1"})
    content = response.content.decode()
    assert response.status_code == 422
    assert content.index("Le service refuse tout.") < content.index('name="siret"')


def test_service_error_without_a_form_is_a_message_on_the_page():
    organisation = OrganisationFactory()
    request, response = _post(NoFormView, make_staff(), organisation.pk, {})
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    assert [str(m) for m in get_messages(request)] == ["Action impossible aujourd'hui."]


def test_service_action_view_is_a_404_for_an_object_the_user_does_not_see():
    organisation = OrganisationFactory()
    with pytest.raises(Http404):
        _post(ChangeSiretView, UserFactory(), organisation.pk, {"siret": "1"})
    with pytest.raises(Http404):
        _post(ChangeSiretView, AnonymousUser(), organisation.pk, {"siret": "1"})


# --- protected downloads -----------------------------------------------------------------------


def test_protected_download_is_a_404_for_a_missing_or_absent_file():
    with pytest.raises(Http404):
        protected_download(Dataset(original_file="datasets/absent.csv").original_file)
    with pytest.raises(Http404):
        protected_download(Dataset().original_file)


def test_protected_download_streams_a_private_file():
    application = ApplicationFactory()
    document = application.call.required_documents.first()
    attachment = add_attachment(application, document, content=b"%PDF-1.4 ok")
    response = protected_download(attachment.file, filename="Statuts.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 ok"
    assert 'filename="Statuts.pdf"' in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    response.close()


# --- e-mails after the commit ------------------------------------------------------------------


def _confirm(user):
    notify("accounts/confirm_email", to=[user.email], context={"user": user, "path": "/x/"})


def test_notify_sends_nothing_when_the_transaction_is_rolled_back(
    django_capture_on_commit_callbacks,
):
    user = UserFactory()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _confirm(user)
        raise RuntimeError("the change is rolled back")
    assert callbacks == []
    assert mail.outbox == []


def test_notify_sends_once_the_transaction_commits(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _confirm(user)
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert [message.to for message in mail.outbox] == [[user.email]]


def test_notify_skips_empty_addresses(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify("accounts/confirm_email", to=["", None], context={"user": None, "path": ""})
    assert callbacks == [] and mail.outbox == []


# --- money and percentages ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "0.00"),
        ("", "0.00"),
        (0, "0.00"),
        ("0.004", "0.00"),
        ("0.0049999", "0.00"),
        ("0.005", "0.01"),  # half up, not half even
        ("0.015", "0.02"),
        ("0.025", "0.03"),  # half even would give 0.02
        ("-0.005", "-0.01"),  # half away from zero
        ("1234.5", "1234.50"),
        (Decimal("10"), "10.00"),
        (12, "12.00"),
    ],
)
def test_to_money_rounds_half_up_to_the_cent(value, expected):
    assert money.to_money(value) == Decimal(expected)
    assert str(money.to_money(value)) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("", None), ("abc", None), ("1.005", Decimal("1.01")), ("7", Decimal("7.00"))],
)
def test_parse_money(value, expected):
    assert money.parse_money(value) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        ("12.49", 0, "12"),
        ("12.5", 0, "13"),
        ("12.51", 0, "13"),
        ("2.5", 0, "3"),  # half even would give 2
        ("-2.5", 0, "-3"),
        ("12.345", 2, "12.35"),
        ("12.344", 2, "12.34"),
        ("99.95", 1, "100.0"),
    ],
)
def test_round_percent_is_half_up(value, decimals, expected):
    assert str(money.round_percent(Decimal(value), decimals)) == expected


@pytest.mark.parametrize(
    ("part", "whole", "decimals", "expected"),
    [
        (1, 3, 0, "33"),
        (2, 3, 0, "67"),
        (1, 8, 1, "12.5"),
        (1, 8, 0, "13"),  # 12.5 → 13
        (1, 200, 0, "1"),  # 0.5 → 1
        (Decimal("0.99"), 200, 0, "0"),  # 0.495 → 0
        (0, 5, 0, "0"),
        (5, 5, 0, "100"),
        (Decimal("7500"), Decimal("15000"), 0, "50"),
    ],
)
def test_percentage(part, whole, decimals, expected):
    assert str(money.percentage(part, whole, decimals)) == expected


@pytest.mark.parametrize(("part", "whole"), [(1, 0), (1, None), (None, 5), (1, Decimal("0.00"))])
def test_percentage_of_nothing_is_none(part, whole):
    assert money.percentage(part, whole) is None


def test_money_constants():
    assert str(money.ZERO) == "0.00"
    assert str(money.CENT) == "0.01"


# --- staff to e-mail ---------------------------------------------------------------------------


def test_staff_recipients_is_the_shared_mailbox_when_one_is_configured(settings):
    settings.STAFF_NOTIFICATION_EMAIL = "ess@metro.example"
    make_staff(email="claire@metro.example")
    assert staff_recipients() == ["ess@metro.example"]


def test_staff_recipients_is_every_active_staff_member_otherwise(settings):
    settings.STAFF_NOTIFICATION_EMAIL = ""
    make_staff(email="karim@metro.example")
    make_staff(email="claire@metro.example")
    make_staff(email="parti@metro.example", is_active=False)
    UserFactory(email="admin@metro.example", is_superuser=True)
    UserFactory(email="porteur@exemple.fr")
    staff_without_address = make_staff()
    staff_without_address.email = ""
    staff_without_address.save()
    assert staff_recipients() == [
        "admin@metro.example",
        "claire@metro.example",
        "karim@metro.example",
    ]

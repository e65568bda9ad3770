import re

from django import forms
from django.utils.translation import gettext_lazy as _

from ess_metro.concurrency import VersionedFormMixin
from ess_metro.forms import DateInput

from .models import Commune, MembershipRole, Organisation
from .rules import normalize_ape, normalize_siret


class OrganisationForm(VersionedFormMixin, forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    # Spaces are accepted as printed on INSEE notices; the model keeps the 14 digits.
    siret = forms.CharField(
        label=_("SIRET"),
        required=False,
        max_length=20,
        help_text=_("14 digits, as on the INSEE notice."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "acronym",
            "legal_form",
            "siret",
            "rna",
            "ape_code",
            "esus_approved",
            "esus_approval_date",
            "address",
            "postcode",
            "commune",
            "city",
            "email",
            "phone",
            "website",
            "staff_count",
            "description",
        ]
        widgets = {
            "esus_approval_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].empty_label = _("— outside the Métro —")

    def clean_siret(self):
        return normalize_siret(self.cleaned_data.get("siret", ""))

    def clean_ape_code(self):
        return normalize_ape(self.cleaned_data.get("ape_code", ""))

    def clean_rna(self):
        return (self.cleaned_data.get("rna") or "").strip().upper()


class MemberInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    position = forms.CharField(
        label=_("Position in the organisation"), max_length=150, required=False
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=MembershipRole.choices, initial=MembershipRole.MEMBER
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if self.organisation.memberships.filter(user__email__iexact=email).exists():
            raise forms.ValidationError(_("This person is already a member of the organisation."))
        return email


class CommuneCodeForm(forms.ModelForm):
    """The INSEE code of a commune of the Métro (all are in Isère: 38xxx)."""

    class Meta:
        model = Commune
        fields = ["insee_code"]
        widgets = {"insee_code": forms.TextInput(attrs={"inputmode": "numeric", "size": 6})}

    def clean_insee_code(self):
        code = self.cleaned_data["insee_code"].strip()
        if code and not re.fullmatch(r"38\d{3}", code):
            raise forms.ValidationError(
                _("An INSEE code of a commune of Isère has 5 digits and starts with 38.")
            )
        if code and Commune.objects.filter(insee_code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This INSEE code is already given to another commune."))
        return code


CommuneCodeFormSet = forms.modelformset_factory(Commune, form=CommuneCodeForm, extra=0)

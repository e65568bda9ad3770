from django import forms
from django.utils.translation import gettext_lazy as _


class CloseAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that my account is closed for good and that my name is removed "
            "from the portal."
        ),
        error_messages={"required": _("Tick the box to confirm.")},
    )

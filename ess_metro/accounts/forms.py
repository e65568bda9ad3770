from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import User


class SignUpForm(forms.ModelForm):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password confirmation"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accept_terms = forms.BooleanField(
        label=_("I accept that the Métro processes my data to instruct my applications."),
        required=True,
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "phone", "job_title"]
        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email"})}

    def clean_email(self):
        # An address that already has an account is not refused here: that would tell anyone
        # who has an account (``services.user_sign_up`` e-mails its owner instead).
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()

    def validate_unique(self):
        """The e-mail's uniqueness is the service's business (see ``clean_email``)."""
        exclude = {*self._get_validation_exclusions(), "email"}
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        elif p1:
            user = User(
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": _(
            "Incorrect e-mail address or password. If you have just signed up, "
            "confirm your address with the link we sent you first."
        ),
        "inactive": _("This account is not active yet: confirm your e-mail address first."),
    }


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone", "job_title"]


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))


class SecondFactorForm(forms.Form):
    """A six-digit code from the authenticator app, or one of the recovery codes."""

    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        self.device = None
        super().__init__(*args, **kwargs)

    def clean_code(self):
        from . import two_factor

        code = self.cleaned_data["code"]
        throttled = two_factor.throttled(self.user)
        self.device = two_factor.verify_token(user=self.user, token=code)
        if self.device is None:
            if throttled:
                raise forms.ValidationError(
                    _("Too many wrong codes: wait a few seconds, then try the next code.")
                )
            raise forms.ValidationError(_("This code is not valid. Check it and try again."))
        return code


class SecondFactorSetupForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code shown by your app"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

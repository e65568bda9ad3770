"""Pages for everyone: sign-up and its confirmation, log-in, forgotten password."""

import time

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView
from django_otp.plugins.otp_static.models import StaticDevice

from .. import services, two_factor
from ..forms import (
    EmailAuthenticationForm,
    ResendConfirmationForm,
    SecondFactorForm,
    SignUpForm,
)
from ..throttle import email_rate_limited

# Between the password and the second factor: who, with which backend, since when, and where to.
PENDING_LOGIN = "pending_second_factor"
PENDING_LOGIN_SECONDS = 300


@method_decorator(login_not_required, name="dispatch")
class SignUpView(FormView):
    template_name = "accounts/signup.html"
    form_class = SignUpForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("accounts:profile")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = {key: form.cleaned_data[key] for key in form.Meta.fields}
        # Same answer whether the account is created, already exists, or the address has had
        # its share of e-mails this hour: sign-up tells nobody who has an account.
        if not email_rate_limited(self.request, group="signup", email=data["email"]):
            services.user_sign_up(data=data, password=form.cleaned_data["password1"])
        return render(self.request, "accounts/signup_done.html", {"email": data["email"]})


@login_not_required
def confirm_email(request, uidb64, token):
    if services.user_confirm_link(uidb64=uidb64, token=token) is None:
        return render(request, "accounts/confirm_invalid.html", status=400)
    messages.success(request, _("Your e-mail address is confirmed. You can now log in."))
    return redirect("accounts:login")


@method_decorator(login_not_required, name="dispatch")
class ResendConfirmationView(FormView):
    template_name = "accounts/resend_confirmation.html"
    form_class = ResendConfirmationForm

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not email_rate_limited(self.request, group="signup", email=email):
            services.user_resend_confirmation(email=email)
        # Same answer whether the account exists or not: no account enumeration.
        return render(self.request, "accounts/signup_done.html", {"email": email})


class LoginView(auth_views.LoginView):
    """The password first; a person with a second factor then gives a code
    (``SecondFactorLoginView``) before being logged in."""

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.has_second_factor(user):
            return super().form_valid(form)
        self.request.session[PENDING_LOGIN] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_success_url(),
        }
        return redirect("accounts:login_verify")


def _pending_login(request):
    pending = request.session.get(PENDING_LOGIN)
    if not pending or time.time() - pending["at"] > PENDING_LOGIN_SECONDS:
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return (pending, user) if user is not None else (None, None)


@method_decorator(login_not_required, name="dispatch")
class SecondFactorLoginView(FormView):
    """Second step of the login: a code from the app, or a recovery code (each works once).
    Wrong codes are throttled by the device; the step expires after five minutes."""

    template_name = "accounts/login_verify.html"
    form_class = SecondFactorForm

    def dispatch(self, request, *args, **kwargs):
        self.pending, self.pending_user = _pending_login(request)
        if self.pending_user is None:
            request.session.pop(PENDING_LOGIN, None)
            messages.info(request, _("Log in with your password first."))
            return redirect("accounts:login")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.pending_user}

    def form_valid(self, form):
        self.request.session.pop(PENDING_LOGIN, None)
        auth_login(self.request, self.pending_user, backend=self.pending["backend"])
        two_factor.mark_verified(self.request, form.device)
        if isinstance(form.device, StaticDevice):
            left = two_factor.recovery_codes_left(self.pending_user)
            messages.warning(
                self.request,
                ngettext(
                    "You used a recovery code: %(count)d left. Make new ones from your account.",
                    "You used a recovery code: %(count)d left. Make new ones from your account.",
                    left,
                )
                % {"count": left},
            )
        return redirect(self.pending["next"])


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "email/accounts/password_reset_body.txt"
    subject_template_name = "email/accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Past its share of e-mails this hour, the address gets none, and the page says the same.
        if email_rate_limited(
            self.request, group="password_reset", email=form.cleaned_data["email"]
        ):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        # The owner proved they hold the mailbox: their account's lock lifts (the lockout page
        # sends them here). A lock on an address stays.
        axes_reset(username=form.user.email.lower())
        return super().form_valid(form)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"

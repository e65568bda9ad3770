"""Pages for everyone: sign-up and its confirmation, log-in, forgotten password."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import FormView

from .. import services
from ..forms import EmailAuthenticationForm, ResendConfirmationForm, SignUpForm


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
        user = services.user_sign_up(data=data, password=form.cleaned_data["password1"])
        return render(self.request, "accounts/signup_done.html", {"email": user.email})


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
        services.user_resend_confirmation(email=email)
        # Same answer whether the account exists or not: no account enumeration.
        return render(self.request, "accounts/signup_done.html", {"email": email})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "email/accounts/password_reset_body.txt"
    subject_template_name = "email/accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, UpdateView

from . import services
from .forms import EmailAuthenticationForm, ProfileForm, ResendConfirmationForm, SignUpForm
from .models import User
from .tokens import email_confirmation_token


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
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        user = None
    if user is not None and email_confirmation_token.check_token(user, token):
        services.user_confirm_email(user=user)
        messages.success(request, _("Your e-mail address is confirmed. You can now log in."))
        return redirect("accounts:login")
    return render(request, "accounts/confirm_invalid.html", status=400)


@method_decorator(login_not_required, name="dispatch")
class ResendConfirmationView(FormView):
    template_name = "accounts/resend_confirmation.html"
    form_class = ResendConfirmationForm

    def form_valid(self, form):
        user = User.objects.filter(
            email__iexact=form.cleaned_data["email"], is_active=False, email_confirmed_at=None
        ).first()
        if user is not None:
            services.user_send_confirmation(user=user)
        # Same answer whether the account exists or not: no account enumeration.
        return render(
            self.request, "accounts/signup_done.html", {"email": form.cleaned_data["email"]}
        )


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class ProfileView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/profile.html"


class ProfileEditView(LoginRequiredMixin, UpdateView):
    template_name = "accounts/profile_form.html"
    form_class = ProfileForm
    success_url = reverse_lazy("accounts:profile")

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        messages.success(self.request, _("Your profile has been updated."))
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


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

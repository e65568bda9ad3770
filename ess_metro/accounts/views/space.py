"""The signed-in person's own account: profile, its edit, the password change."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView, UpdateView
from django_otp import DEVICE_ID_SESSION_KEY

from .. import two_factor
from ..forms import ProfileForm, SecondFactorSetupForm
from ..sessions import end_sessions


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


class SecondFactorView(LoginRequiredMixin, TemplateView):
    """The person's second factor: on or off, recovery codes left, the ways to change it."""

    template_name = "accounts/two_factor.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "enabled": two_factor.has_second_factor(user),
            "required": two_factor.requires_second_factor(user),
            "codes_left": two_factor.recovery_codes_left(user),
        }


class SecondFactorSetupView(LoginRequiredMixin, View):
    """Scan the QR code (drawn on the server), type the first code: the app is on, and the
    recovery codes are shown once."""

    template_name = "accounts/two_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        # Replacing a device takes a session that the current one verified.
        user = request.user
        if (
            user.is_authenticated
            and two_factor.has_second_factor(user)
            and not two_factor.is_verified(request)
        ):
            return redirect("accounts:two_factor")
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form, device):
        context = {
            "form": form,
            "qr_code": two_factor.qr_code_svg(device),
            "manual_key": two_factor.manual_key(device),
            "next": _safe_next(self.request),
        }
        return render(self.request, self.template_name, context)

    def get(self, request):
        device = two_factor.pending_device(request.user) or two_factor.start_setup(
            user=request.user
        )
        return self.render_form(SecondFactorSetupForm(), device)

    def post(self, request):
        device = two_factor.pending_device(request.user)
        if device is None:
            return redirect("accounts:two_factor_setup")
        form = SecondFactorSetupForm(request.POST)
        codes = form.is_valid() and two_factor.confirm_setup(
            device=device, token=form.cleaned_data["code"]
        )
        if not codes:
            if form.is_valid():
                form.add_error("code", _("This code is not valid. Check the time of your phone."))
            return self.render_form(form, device)
        two_factor.mark_verified(request, device)
        end_sessions(user=request.user, by=request.user, keep=request.session.session_key)
        context = {"codes": codes, "next": _safe_next(request)}
        return render(request, "accounts/two_factor_codes.html", context)


class RecoveryCodesView(LoginRequiredMixin, View):
    """New recovery codes (the former ones stop working), from a verified session only."""

    def post(self, request):
        if not two_factor.has_second_factor(request.user) or not two_factor.is_verified(request):
            return redirect("accounts:two_factor")
        codes = two_factor.new_recovery_codes(user=request.user)
        context = {"codes": codes, "next": reverse("accounts:two_factor")}
        return render(request, "accounts/two_factor_codes.html", context)


class SecondFactorRemoveView(LoginRequiredMixin, View):
    """Turn the second factor off (not for staff, who must keep one)."""

    def post(self, request):
        user = request.user
        if two_factor.requires_second_factor(user) or not two_factor.is_verified(request):
            raise PermissionDenied
        two_factor.remove_second_factor(user=user, keep=request.session.session_key)
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        messages.success(request, _("Two-factor authentication is off."))
        return redirect("accounts:two_factor")


def _safe_next(request) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("accounts:profile")

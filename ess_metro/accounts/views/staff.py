"""The staff's security page (/gestion/securite/): who logged in or failed to, the locks in
force and their unlocking, the changes of bank details, and the open sessions they can end."""

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from .. import selectors, sessions, two_factor
from ..mixins import StaffRequiredMixin
from ..models import User, UserSession


class SecurityView(StaffRequiredMixin, TemplateView):
    template_name = "gestion/security.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **selectors.security_page().as_context()}


class UnlockView(StaffRequiredMixin, View):
    """Lift the lock of an account (``account``) or of an address (``address``) at once."""

    def post(self, request):
        account = request.POST.get("account", "").strip().lower()
        address = request.POST.get("address", "").strip()
        if account:
            axes_reset(username=account)
            messages.success(
                request, _("The account %(account)s is unlocked.") % {"account": account}
            )
        elif address:
            axes_reset(ip=address)
            messages.success(
                request, _("The address %(address)s is unlocked.") % {"address": address}
            )
        return redirect("security:home")


class EndSessionView(StaffRequiredMixin, View):
    def post(self, request, pk):
        row = get_object_or_404(UserSession.objects.select_related("user"), pk=pk, ended_at=None)
        sessions.end_session(user_session=row, by=request.user)
        messages.success(request, _("The session of %(user)s is ended.") % {"user": row.user})
        return redirect("security:home")


class EndAccountSessionsView(StaffRequiredMixin, View):
    def post(self, request, pk):
        user = get_object_or_404(User, pk=pk)
        count = sessions.end_sessions(user=user, by=request.user)
        message = ngettext(
            "%(count)d session of %(user)s ended.", "%(count)d sessions of %(user)s ended.", count
        )
        messages.success(request, message % {"count": count, "user": user})
        return redirect("security:home")


class ResetSecondFactorView(StaffRequiredMixin, View):
    """A lost phone: the person's authenticator and recovery codes go, and their sessions end;
    at their next login they set up a new one."""

    def post(self, request, pk):
        user = get_object_or_404(User, pk=pk)
        two_factor.remove_second_factor(user=user, by=request.user)
        messages.success(
            request,
            _(
                "The second factor of %(user)s is removed: "
                "they set up a new one at their next login."
            )
            % {"user": user},
        )
        return redirect("security:home")

"""The signed-in person's organisations: list, record, registration, edit, members."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView

from ess_metro.actions import ServiceActionView, add_service_error
from ess_metro.pagination import DeferredJoinPaginator
from ess_metro.permissions import PermissionMixin

from .. import selectors, services
from ..forms import MemberInviteForm, OrganisationForm
from ..models import LegalForm, MembershipInvitation, Organisation


class OrganisationListView(LoginRequiredMixin, ListView):
    """The organisations of the user (all of them for staff), with search."""

    template_name = "directory/organisation_list.html"
    paginate_by = 50
    paginator_class = DeferredJoinPaginator

    def get_queryset(self):
        return selectors.organisation_search(
            user=self.request.user,
            query=self.request.GET.get("q", ""),
            legal_form=self.request.GET.get("forme", ""),
        )

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "query": self.request.GET.get("q", ""),
            "legal_forms": LegalForm.choices,
            "selected_form": self.request.GET.get("forme", ""),
        }


class OrganisationDetailView(LoginRequiredMixin, DetailView):
    template_name = "directory/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user).select_related("commune")

    def get_context_data(self, **kwargs):
        page = selectors.organisation_page(organisation=self.object, user=self.request.user)
        return {**super().get_context_data(**kwargs), "page": page}


def _safe_next(request) -> str:
    next_url = request.POST.get("next") or request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return next_url if allowed else ""


class OrganisationCreateView(LoginRequiredMixin, CreateView):
    template_name = "directory/organisation_form.html"
    form_class = OrganisationForm

    def form_valid(self, form):
        self.object = services.organisation_create(
            organisation=form.save(commit=False), user=self.request.user
        )
        messages.success(self.request, _("The organisation has been registered."))
        return redirect(_safe_next(self.request) or self.object)


class OrganisationUpdateView(LoginRequiredMixin, UpdateView):
    template_name = "directory/organisation_form.html"
    form_class = OrganisationForm
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.editable_by(self.request.user)

    def form_valid(self, form):
        self.object = services.organisation_update(
            organisation=form.save(commit=False), user=self.request.user
        )
        messages.success(self.request, _("The organisation has been updated."))
        return redirect(self.object)


class OrganisationAdminMixin(PermissionMixin):
    """The organisation among those the user sees (404 otherwise); 403 unless they may manage
    its members (``directory.manage_members``)."""

    permission_required = "directory.manage_members"

    def permission_object(self):
        self.organisation = get_object_or_404(
            Organisation.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )
        return self.organisation


class MemberInviteView(OrganisationAdminMixin, FormView):
    template_name = "directory/member_invite.html"
    form_class = MemberInviteForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisation": self.organisation}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "organisation": self.organisation}

    def form_valid(self, form):
        try:
            services.membership_invite(
                organisation=self.organisation, invited_by=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.render_to_response(self.get_context_data(form=form), status=422)
        messages.success(
            self.request,
            _("%(email)s has been invited: they will join the organisation once they accept.")
            % {"email": form.cleaned_data["email"]},
        )
        return redirect(self.organisation)


class MemberRemoveView(OrganisationAdminMixin, ServiceActionView):
    pk_url_kwarg = "membership_pk"
    success_message = gettext_lazy("The member has been removed.")

    def get_queryset(self):
        return self.organisation.memberships.all()

    def perform(self, membership, data):
        services.membership_remove(membership=membership, removed_by=self.request.user)
        return self.organisation

    def get_failure_url(self) -> str:
        return self.organisation.get_absolute_url()


class InvitationCancelView(OrganisationAdminMixin, ServiceActionView):
    pk_url_kwarg = "invitation_pk"
    success_message = gettext_lazy("The invitation has been cancelled.")

    def get_queryset(self):
        return self.organisation.invitations.pending()

    def perform(self, invitation, data):
        services.invitation_cancel(invitation=invitation, cancelled_by=self.request.user)
        return self.organisation

    def get_failure_url(self) -> str:
        return self.organisation.get_absolute_url()


class InvitationListView(LoginRequiredMixin, ListView):
    """The invitations sent to the signed-in person's address: accept or decline."""

    template_name = "directory/invitation_list.html"
    context_object_name = "invitations"

    def get_queryset(self):
        return (
            MembershipInvitation.objects.addressed_to(self.request.user)
            .pending()
            .select_related("organisation", "invited_by")
            .order_by("-created_at")
        )


class InvitationAnswerView(LoginRequiredMixin, ServiceActionView):
    accept = True

    def get_queryset(self):
        return MembershipInvitation.objects.addressed_to(self.request.user).pending()

    def perform(self, invitation, data):
        services.invitation_answer(
            invitation=invitation, user=self.request.user, accept=self.accept
        )
        return invitation.organisation if self.accept else None

    def get_success_message(self, result) -> str:
        if self.accept:
            return _("You are now a member of %(organisation)s.") % {"organisation": result}
        return _("You declined the invitation.")

    def get_success_url(self, result) -> str:
        if self.accept:
            return result.get_absolute_url()
        return reverse("directory:invitation_list")

    def get_failure_url(self) -> str:
        return reverse("directory:invitation_list")

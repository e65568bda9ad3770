from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, DetailView, FormView, ListView, UpdateView

from ess_metro.accounts import roles
from ess_metro.accounts.mixins import StaffRequiredMixin

from . import services
from .forms import CommuneCodeFormSet, MemberInviteForm, OrganisationForm
from .models import Commune, LegalForm, Organisation, is_organisation_admin


class OrganisationListView(LoginRequiredMixin, ListView):
    """The organisations of the user (all of them for staff), with search."""

    template_name = "directory/organisation_list.html"
    paginate_by = 50

    def get_queryset(self):
        queryset = Organisation.objects.visible_to(self.request.user).select_related("commune")
        query = self.request.GET.get("q", "").strip()
        if query:
            queryset = queryset.filter(name__icontains=query) | queryset.filter(
                siret__startswith=query.replace(" ", "")
            )
        legal_form = self.request.GET.get("forme")
        if legal_form in LegalForm.values:
            queryset = queryset.filter(legal_form=legal_form)
        return queryset.order_by("name")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query"] = self.request.GET.get("q", "")
        context["legal_forms"] = LegalForm.choices
        context["selected_form"] = self.request.GET.get("forme", "")
        context["is_staff_view"] = roles.has_role(self.request.user, roles.STAFF)
        return context


class OrganisationDetailView(LoginRequiredMixin, DetailView):
    template_name = "directory/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user).select_related("commune")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = self.object.memberships.select_related("user").order_by(
            "user__last_name"
        )
        context["can_manage_members"] = is_organisation_admin(self.request.user, self.object)
        return context


class OrganisationCreateView(LoginRequiredMixin, CreateView):
    template_name = "directory/organisation_form.html"
    form_class = OrganisationForm

    def form_valid(self, form):
        self.object = services.organisation_create(form=form, user=self.request.user)
        messages.success(self.request, _("The organisation has been registered."))
        next_url = self.request.POST.get("next") or self.request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(
            next_url,
            allowed_hosts={self.request.get_host()},
            require_https=self.request.is_secure(),
        ):
            return redirect(next_url)
        return redirect(self.object)


class OrganisationUpdateView(LoginRequiredMixin, UpdateView):
    template_name = "directory/organisation_form.html"
    form_class = OrganisationForm
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.editable_by(self.request.user)

    def form_valid(self, form):
        messages.success(self.request, _("The organisation has been updated."))
        return super().form_valid(form)


class StaffOrganisationListView(StaffRequiredMixin, OrganisationListView):
    """Staff entry point: every organisation of the directory."""


class OrganisationAdminMixin(LoginRequiredMixin):
    """Fetches the organisation among those the user sees (404 otherwise); 403 unless admin."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.organisation = get_object_or_404(
            Organisation.objects.visible_to(request.user), pk=kwargs["pk"]
        )
        if not is_organisation_admin(request.user, self.organisation):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class MemberInviteView(OrganisationAdminMixin, FormView):
    template_name = "directory/member_invite.html"
    form_class = MemberInviteForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisation": self.organisation}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "organisation": self.organisation}

    def form_valid(self, form):
        services.membership_invite(
            organisation=self.organisation, invited_by=self.request.user, **form.cleaned_data
        )
        messages.success(
            self.request,
            _("%(email)s has been added to the organisation and notified by e-mail.")
            % {"email": form.cleaned_data["email"]},
        )
        return redirect(self.organisation)


class MemberRemoveView(OrganisationAdminMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, membership_pk):
        membership = get_object_or_404(self.organisation.memberships, pk=membership_pk)
        try:
            services.membership_remove(membership=membership, removed_by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The member has been removed."))
        return redirect(self.organisation)


class CommuneCodesView(StaffRequiredMixin, FormView):
    """Staff give the INSEE code of each commune (statistics imports match on it)."""

    template_name = "directory/commune_codes.html"

    def get_form(self, form_class=None):
        return CommuneCodeFormSet(
            self.request.POST or None, queryset=Commune.objects.order_by("name")
        )

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("The INSEE codes have been saved."))
        return redirect("directory:commune_codes")

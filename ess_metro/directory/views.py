from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from ess_metro.accounts import roles
from ess_metro.accounts.mixins import StaffRequiredMixin

from . import services
from .forms import OrganisationForm
from .models import LegalForm, Organisation


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
        return context


class OrganisationCreateView(LoginRequiredMixin, CreateView):
    template_name = "directory/organisation_form.html"
    form_class = OrganisationForm

    def form_valid(self, form):
        self.object = services.organisation_create(form=form, user=self.request.user)
        messages.success(self.request, _("The organisation has been registered."))
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

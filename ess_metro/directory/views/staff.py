"""Staff pages of the directory (/gestion/…): every organisation, the INSEE codes."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from ess_metro.permissions import PermissionMixin

from ..forms import CommuneCodeFormSet
from ..models import Commune
from .space import OrganisationListView


class StaffOrganisationListView(PermissionMixin, OrganisationListView):
    """Staff entry point: every organisation of the directory."""

    permission_required = "directory.manage_directory"


class CommuneCodesView(PermissionMixin, FormView):
    """Staff give the INSEE code of each commune (statistics imports match on it)."""

    template_name = "directory/commune_codes.html"
    permission_required = "directory.manage_directory"

    def get_form(self, form_class=None):
        return CommuneCodeFormSet(
            self.request.POST or None, queryset=Commune.objects.order_by("name")
        )

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("The INSEE codes have been saved."))
        return redirect("directory:commune_codes")

"""Pages of the personal-data rights and the legal pages.

- « Mes données » (``/compte/mes-donnees/``): ask for an archive, see its status, download it;
- closing one's account (``/compte/fermer/``);
- public: « Données personnelles », « Déclaration d'accessibilité », « Mentions légales ».
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView, TemplateView

from ess_metro.downloads import protected_download
from ess_metro.permissions import PermissionMixin

from . import accessibility, services
from .forms import CloseAccountForm
from .models import AccountClosure, DataExport, DataExportStatus, PurgeLog
from .processings import processings


def my_data(request):
    exports = DataExport.objects.visible_to(request.user)[:1]
    return render(request, "privacy/my_data.html", {"export": next(iter(exports), None)})


@require_POST
def my_data_request(request):
    export = services.request_data_export(user=request.user)
    if export.status == DataExportStatus.PENDING:
        messages.info(request, _("Your archive is being prepared: come back to this page."))
    return redirect("privacy:my_data")


def my_data_download(request, pk):
    export = get_object_or_404(DataExport.objects.visible_to(request.user).ready(), pk=pk)
    return protected_download(export.file, filename=export.file.name.rsplit("/", 1)[-1])


class CloseAccountView(FormView):
    template_name = "privacy/close_account.html"
    form_class = CloseAccountForm

    def form_valid(self, form):
        user = self.request.user
        try:
            services.close_account(user=user, password=form.cleaned_data["password"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field, errors)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        logout(self.request)
        messages.success(self.request, _("Your account is closed. Thank you for your visit."))
        return redirect(reverse("home"))


class StaffRegisterView(PermissionMixin, TemplateView):
    """Staff: the closed accounts (who acted in which roles) and the latest purges."""

    template_name = "privacy/staff_register.html"
    permission_required = "privacy.see_register"
    purges_shown = 100

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "closures": AccountClosure.objects.select_related("user"),
            "purges": PurgeLog.objects.all()[: self.purges_shown],
        }


@login_not_required
def personal_data(request):
    context = {
        "processings": processings(),
        "contact_email": settings.PRIVACY_CONTACT_EMAIL,
    }
    return render(request, "privacy/personal_data.html", context)


@login_not_required
def accessibility_statement(request):
    context = {
        "results": accessibility.latest_results(),
        "status": accessibility.conformity_status(),
        "audited": settings.ACCESSIBILITY_STATUS in {"full", "partial"},
        "statement_date": parse_date(settings.ACCESSIBILITY_STATEMENT_DATE),
        "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
    }
    return render(request, "privacy/accessibility.html", context)


@login_not_required
def legal_notice(request):
    context = {
        "authority_name": settings.SCDL_AUTHORITY_NAME,
        "authority_siret": settings.SCDL_AUTHORITY_SIRET,
        "privacy_email": settings.PRIVACY_CONTACT_EMAIL,
        "hosting_provider": settings.LEGAL_HOSTING_PROVIDER,
    }
    return render(request, "privacy/legal_notice.html", context)

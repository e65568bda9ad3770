from django.apps import apps
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from ess_metro.accounts.mixins import StaffRequiredMixin
from ess_metro.downloads import protected_download
from ess_metro.exports import CSV_TYPE, XLSX_TYPE
from ess_metro.models import ExportJob


def optional_queryset(label: str, method: str, *args):
    """Read another app's public queryset without importing it (kernel ← apps)."""
    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    reader = getattr(model.objects, method, None)
    return reader(*args) if reader is not None else None


@method_decorator(login_not_required, name="dispatch")
class SiteMapView(TemplateView):
    """« Plan du site »: every page a visitor may open without choosing an object first, by
    section, the sections of the signed-in roles included. Linked from every page's footer."""

    template_name = "sitemap.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["year"] = timezone.localdate().year
        user = self.request.user
        if user.is_authenticated:
            groups = optional_queryset("communication.WorkingGroup", "visible_to", user)
            strategies = optional_queryset(
                "communication.CommunicationStrategy", "visible_to", user
            )
            context["working_groups"] = groups.order_by("name") if groups is not None else []
            context["strategies"] = strategies.order_by("-year") if strategies is not None else []
        return context


class StaffHomeView(StaffRequiredMixin, TemplateView):
    """The staff desk: entry points to every part of the plan's management."""

    template_name = "gestion/home.html"


@login_not_required
def page_not_found(request, exception):
    return render(request, "404.html", status=404)


@login_not_required
def permission_denied(request, exception):
    return render(request, "403.html", status=403)


@login_not_required
def server_error(request):
    # No context processors: the database may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())


# --- Background exports: "Mes exports" -----------------------------------------------------


class ExportJobListView(ListView):
    """The signed-in person's own exports, newest first."""

    template_name = "exports/job_list.html"
    context_object_name = "jobs"
    paginate_by = 20

    def get_queryset(self):
        return ExportJob.objects.visible_to(self.request.user)


class ExportJobDetailView(View):
    """One export's progress; htmx polls the status block while it is being built."""

    def get(self, request, pk):
        job = get_object_or_404(ExportJob.objects.visible_to(request.user), pk=pk)
        template = "exports/_job_status.html" if request.htmx else "exports/job_detail.html"
        crumbs = [(_("My exports"), reverse("export_jobs")), (job.filename, "")]
        return render(request, template, {"job": job, "crumbs": crumbs})


class ExportJobDownloadView(View):
    def get(self, request, pk):
        job = get_object_or_404(ExportJob.objects.visible_to(request.user), pk=pk)
        if job.state != ExportJob.READY:
            raise Http404
        content_type = CSV_TYPE if job.file_format == "csv" else XLSX_TYPE
        return protected_download(job.file, filename=job.filename, content_type=content_type)

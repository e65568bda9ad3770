from django.apps import apps
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from ess_metro.accounts.mixins import StaffRequiredMixin


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

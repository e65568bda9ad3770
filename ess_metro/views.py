from django.apps import apps
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
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

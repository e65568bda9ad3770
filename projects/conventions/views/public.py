"""The public page of the structuring projects the Métro supports."""

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from projects.conventions import selectors


@method_decorator(login_not_required, name="dispatch")
class PublicStructuringProjectsView(TemplateView):
    """The structuring projects the Métro supports, theme by theme (public)."""

    template_name = "projects/conventions/public_projects.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **selectors.public_projects().as_context()}

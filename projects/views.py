from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from ess_metro.directory.models import Organisation


class SpaceHomeView(LoginRequiredMixin, TemplateView):
    """The applicant's space: its organisations and what is expected of them."""

    template_name = "projects/space_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organisations"] = (
            Organisation.objects.filter(memberships__user=self.request.user)
            .select_related("commune")
            .order_by("name")
        )
        return context

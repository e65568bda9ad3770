from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from ess_metro.directory.models import MembershipInvitation, Organisation
from projects.space import applications_space_context, conventions_space_context


class SpaceHomeView(LoginRequiredMixin, TemplateView):
    """The applicant's space: its organisations, files, conventions and what is expected."""

    template_name = "projects/space_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["organisations"] = (
            Organisation.objects.filter(memberships__user=user)
            .select_related("commune")
            .order_by("name")
        )
        context["pending_invitations"] = (
            MembershipInvitation.objects.addressed_to(user).pending().count()
        )
        context.update(applications_space_context(user))
        context.update(conventions_space_context(user))
        return context

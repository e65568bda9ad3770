"""Public pages of the calls for projects."""

from django.contrib.auth.decorators import login_not_required
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, TemplateView

from ess_metro.accounts import roles
from projects.models import Call


@method_decorator(login_not_required, name="dispatch")
class CallListView(TemplateView):
    template_name = "projects/calls/call_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        context["open_calls"] = list(Call.objects.open_now(now))
        context["upcoming_calls"] = list(Call.objects.upcoming(now))
        context["closed_calls"] = list(Call.objects.closed(now)[:30])
        return context


@method_decorator(login_not_required, name="dispatch")
class CallDetailView(DetailView):
    template_name = "projects/calls/call_detail.html"
    context_object_name = "call"

    def get_queryset(self):
        return Call.objects.visible_to(self.request.user).prefetch_related(
            "criteria", "required_documents"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["is_open"] = self.object.is_open()
        context["is_staff"] = roles.has_role(user, roles.STAFF)
        context["my_applications"] = (
            list(
                self.object.applications.visible_to(user)
                .filter(organisation__memberships__user=user)
                .select_related("organisation")
            )
            if user.is_authenticated
            else []
        )
        return context

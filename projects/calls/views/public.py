"""Public pages of the calls for projects."""

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, TemplateView

from ess_metro.pagecache import public_page
from projects.calls import selectors
from projects.models import Call


@method_decorator(login_not_required, name="dispatch")
@method_decorator(public_page, name="dispatch")
class CallListView(TemplateView):
    template_name = "projects/calls/call_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.call_list_page().as_context())
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
        context["is_open"] = self.object.is_open()
        context["my_applications"] = selectors.my_applications(self.object, self.request.user)
        return context

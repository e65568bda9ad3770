"""The POST action base of the committee's views (``ess_metro.actions.ServiceActionView``)."""

from django.contrib import messages
from django.shortcuts import redirect

from ess_metro.actions import ServiceActionView


class ActionView(ServiceActionView):
    """A POST action whose invalid form is told in one sentence (``invalid_message``) on the
    page the person comes from, and that goes back to the meeting's page (``meeting_of``)."""

    invalid_message = ""

    def meeting_of(self, obj):
        return obj

    def get_success_url(self, result) -> str:
        return self.get_failure_url()

    def get_failure_url(self) -> str:
        return self.meeting_of(self.object).get_absolute_url()

    def form_invalid(self, form):
        if self.template_name or not self.invalid_message:
            return super().form_invalid(form)
        messages.error(self.request, str(self.invalid_message))
        return redirect(self.get_failure_url())


class StaffActionView(ActionView):
    """A staff action: back to the meeting's management page."""

    def get_failure_url(self) -> str:
        return self.meeting_of(self.object).get_manage_url()

"""Publishing and closing a call are logged like every other workflow and shown to staff."""

from django.urls import reverse

from projects.calls import services
from projects.models import CallStatus


def test_publishing_and_closing_a_call_are_logged_and_shown(call, staff, staff_client):
    call_draft = type(call).objects.get(pk=call.pk)
    if call_draft.status != CallStatus.PUBLISHED:
        services.call_publish(call=call_draft, user=staff)
    services.call_close(call=call_draft, user=staff)
    steps = [(step.to_status, step.user) for step in call_draft.transitions.all()]
    assert steps[-1] == (CallStatus.CLOSED, staff)
    page = staff_client.get(reverse("projects:staff_call_detail", args=[call.pk]))
    html = page.content.decode()
    assert "Publication et clôture de l’appel" in html
    assert "Claire Dupont" in html

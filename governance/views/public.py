"""Public pages of the steering committee: its composition today and past mandates."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.generic import ListView

from ess_metro.pagecache import public_page

from .. import selectors
from ..models import Mandate


@login_not_required
@public_page
def composition(request):
    """The committee as it sits today, college by college."""
    today = timezone.localdate()
    return render(
        request,
        "governance/composition.html",
        {"colleges": selectors.composition(today), "today": today},
    )


@method_decorator(login_not_required, name="dispatch")
class CompositionHistoryView(ListView):
    """Every mandate that has ended, most recent first."""

    template_name = "governance/composition_history.html"
    paginate_by = 50
    context_object_name = "mandates"

    def get_queryset(self):
        return Mandate.objects.ended().with_people().order_by("-end_date", "college__number")

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from ess_metro.views import optional_queryset

from .models import Orientation, Plan


def _current_plan_with_orientations():
    plan = Plan.objects.current()
    orientations = Orientation.objects.filter(plan=plan).prefetch_related("axes") if plan else []
    return plan, orientations


@login_not_required
def home(request):
    """What the plan is, its four orientations and what is open now."""
    plan, orientations = _current_plan_with_orientations()
    open_calls = optional_queryset("projects.Call", "open_now")
    upcoming_events = optional_queryset("communication.Event", "upcoming")
    return render(
        request,
        "programme/home.html",
        {
            "plan": plan,
            "orientations": orientations,
            "open_calls": list(open_calls[:3]) if open_calls is not None else [],
            "upcoming_events": list(upcoming_events[:4]) if upcoming_events is not None else [],
        },
    )


@login_not_required
def plan_detail(request):
    """The plan, each orientation and axis, and the steering committee's missions."""
    plan, orientations = _current_plan_with_orientations()
    return render(request, "programme/plan.html", {"plan": plan, "orientations": orientations})

"""What the applicant's space (/espace/) shows, one function per part of the projects app.

Each returns a dict merged into the page's context; the matching template fragments are
``templates/projects/space/_applications.html`` and ``_conventions.html``.
"""


def applications_space_context(user) -> dict:
    """The user's applications to calls for projects and what is expected of them."""
    from projects.models import (
        Application,
        ApplicationStatus,
        Call,
        Partnership,
        PartnershipStatus,
    )

    applications = (
        Application.objects.filter(organisation__memberships__user=user)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .select_related("call", "organisation")
        .order_by("-created_at")
        .distinct()
    )
    pending = Partnership.objects.to_answer_by(user).filter(status=PartnershipStatus.PENDING)
    return {
        "pending_partnerships": pending.count(),
        "applications": list(applications),
        "open_calls_for_applicant": list(Call.objects.open_now()),
    }


def conventions_space_context(user) -> dict:
    """The user's conventions, payments and reports due."""
    from projects.conventions.models import Convention, Payment, Report

    conventions = Convention.objects.visible_to(user).filter(beneficiary__memberships__user=user)
    convention_ids = conventions.values("pk")
    return {
        "space_conventions": list(
            conventions.for_list().with_totals().order_by("-start_year", "reference")[:10]
        ),
        "space_reports_due": list(
            Report.objects.awaited()
            .filter(convention__in=convention_ids)
            .for_list()
            .order_by("due_date")
        ),
        "space_payments": list(
            Payment.objects.filter(convention__in=convention_ids)
            .open()
            .for_list()
            .order_by("due_date")[:10]
        ),
    }

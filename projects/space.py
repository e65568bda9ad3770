"""What the applicant's space (/espace/) shows, one function per part of the projects app.

Each returns a dict merged into the page's context; the matching template fragments are
``templates/projects/space/_applications.html`` and ``_conventions.html``.
"""


def applications_space_context(user) -> dict:
    """The user's applications to calls for projects and what is expected of them."""
    from projects.models import Application, ApplicationStatus, Call

    applications = (
        Application.objects.filter(organisation__memberships__user=user)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .select_related("call", "organisation")
        .order_by("-created_at")
        .distinct()
    )
    return {
        "applications": list(applications),
        "open_calls_for_applicant": list(Call.objects.open_now()),
    }


def conventions_space_context(user) -> dict:
    """The user's conventions, payments and reports due."""
    return {}

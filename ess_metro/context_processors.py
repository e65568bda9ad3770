from django.conf import settings

from ess_metro.accounts import roles


def portal(request):
    """Role flags for the navigation, computed once per request from real relations."""
    user = getattr(request, "user", None)
    user_roles = user.roles if user is not None and user.is_authenticated else frozenset()
    return {
        "portal_name": "ESS Métro",
        "is_metro_staff": roles.STAFF in user_roles,
        "is_committee_member": roles.COMMITTEE in user_roles,
        "is_applicant": roles.APPLICANT in user_roles,
        "debug": settings.DEBUG,
    }

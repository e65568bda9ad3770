"""Staff use the portal only in a session verified by their second factor."""

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import two_factor

# Logging in, setting up the second factor and logging out stay open, and so do the files.
OPEN_PREFIXES = ("/compte/", "/langue/", "/static/", "/favicon")


class SecondFactorRequiredMiddleware:
    """A staff member (or an admin user) whose session is not verified by a second factor is
    sent to set one up, or, if they have one, back to the login page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and not two_factor.is_verified(request)
            and two_factor.requires_second_factor(user)
        ):
            return self.refuse(request, user)
        return self.get_response(request)

    def refuse(self, request, user):
        if two_factor.has_second_factor(user):
            logout(request)
            return redirect_to_login(request.get_full_path())
        setup = reverse("accounts:two_factor_setup")
        return redirect(f"{setup}?{urlencode({'next': request.get_full_path()})}")

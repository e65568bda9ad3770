"""The Django admin works under the portal's strict Content-Security-Policy (no inline script
or style): its pages load without a CSP violation and its scripts run (issue 12, item 7).
The administrator logs in through the portal, password then authenticator code."""

import pytest

from demo.factories.core import PASSWORD, UserFactory, give_second_factor, totp_code

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, user):
    page.goto("/admin/")  # the admin's login is the portal's
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.locator("input[name=code]").fill(totp_code(user))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_admin_pages_run_their_scripts_without_csp_violation(page):
    admin = UserFactory(email="admin@exemple.fr", is_staff=True, is_superuser=True)
    give_second_factor(admin)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    _log_in(page, admin)
    assert page.url.endswith("/admin/")
    for path in ("/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/"):
        response = page.goto(path)
        assert response.status == 200
        assert "script-src 'self'" in response.headers["content-security-policy"]
    response = page.goto(f"/admin/accounts/user/{admin.pk}/change/")
    # SelectFilter2.js turned the groups' <select multiple> into its two-box widget: the
    # admin's own scripts ran under the policy.
    page.locator("#id_groups_from").wait_for(state="attached")
    page.goto("/admin/accounts/user/?q=admin")  # the changelist's search and actions
    page.locator("#action-toggle").wait_for(state="attached")
    assert violations == []
    # The admin's pages do not link the portal's icon: the browser's own /favicon.ico request
    # may 404, which is no script error.
    errors = [error for error in page.console_errors if "404 (Not Found)" not in error]
    assert errors == []

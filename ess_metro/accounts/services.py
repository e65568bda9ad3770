from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from ess_metro.notifications import notify

from . import roles
from .models import User
from .tokens import email_confirmation_token


def confirmation_link(*, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_confirmation_token.make_token(user)
    return reverse("accounts:confirm", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def user_sign_up(*, data: dict, password: str) -> User | None:
    """Create an inactive account and send the e-mail confirmation link.

    When the address already has an account, nothing is created and its owner gets an
    e-mail instead (someone tried to sign up with it; here are the login and reset links):
    the page answers the same either way, so sign-up never tells who has an account."""
    existing = User.objects.filter(email__iexact=data["email"]).first()
    if existing is not None:
        notify(
            "accounts/account_exists",
            to=[existing.email],
            context={
                "user": existing,
                "login_path": reverse("accounts:login"),
                "reset_path": reverse("accounts:password_reset"),
            },
        )
        return None
    user = User.objects.create_user(password=password, is_active=False, **data)
    user_send_confirmation(user=user)
    return user


def user_send_confirmation(*, user: User) -> None:
    notify(
        "accounts/confirm_email",
        to=[user.email],
        context={"user": user, "path": confirmation_link(user=user)},
    )


def user_resend_confirmation(*, email: str) -> None:
    """Send the link again to an account still waiting for its confirmation, if any (the
    caller answers the same either way: no account enumeration)."""
    user = User.objects.filter(
        email__iexact=email, is_active=False, email_confirmed_at=None
    ).first()
    if user is not None:
        user_send_confirmation(user=user)


@transaction.atomic
def user_confirm_email(*, user: User) -> User:
    user.is_active = True
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["is_active", "email_confirmed_at"])
    return user


def user_confirm_link(*, uidb64: str, token: str) -> User | None:
    """Activate the account the confirmation link names; None for a wrong or stale link."""
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None
    if not email_confirmation_token.check_token(user, token):
        return None
    return user_confirm_email(user=user)


def staff_group() -> Group:
    group, _created = Group.objects.get_or_create(name=roles.STAFF_GROUP)
    return group

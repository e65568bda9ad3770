from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ess_metro.notifications import notify

from . import roles
from .models import User
from .tokens import email_confirmation_token


def confirmation_link(*, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_confirmation_token.make_token(user)
    return reverse("accounts:confirm", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def user_sign_up(*, data: dict, password: str) -> User:
    """Create an inactive account and send the e-mail confirmation link."""
    user = User.objects.create_user(password=password, is_active=False, **data)
    user_send_confirmation(user=user)
    return user


def user_send_confirmation(*, user: User) -> None:
    notify(
        "accounts/confirm_email",
        to=[user.email],
        context={"user": user, "path": confirmation_link(user=user)},
    )


@transaction.atomic
def user_confirm_email(*, user: User) -> User:
    user.is_active = True
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["is_active", "email_confirmed_at"])
    return user


def staff_group() -> Group:
    group, _created = Group.objects.get_or_create(name=roles.STAFF_GROUP)
    return group

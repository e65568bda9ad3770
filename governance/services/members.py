"""What members do outside meetings: comment the draft programme, subscribe to the calendar."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import CalendarToken, LineComment


@transaction.atomic
def line_comment_add(*, line, user, text: str) -> LineComment:
    from programme.models import ProgrammeStatus

    if line.programme.status != ProgrammeStatus.SUBMITTED:
        raise ValidationError(
            _("Comments are open only while the programme is submitted to the committee.")
        )
    if not text.strip():
        raise ValidationError(_("Write a comment."))
    return LineComment.objects.create(line=line, author=user, text=text.strip())


@transaction.atomic
def calendar_token_renew(*, user) -> CalendarToken:
    token, _created = CalendarToken.objects.update_or_create(
        user=user, defaults={"token": CalendarToken.new_token()}
    )
    return token


def calendar_token_for(*, user) -> CalendarToken:
    token = CalendarToken.objects.filter(user=user).first()
    return token or calendar_token_renew(user=user)

"""The agenda of a meeting: items, their documents and the conflicts of interest on them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from ess_metro.uploads import validate_upload
from projects.models import Partnership

from .. import rules
from ..models import (
    AgendaDocument,
    AgendaItem,
    ConflictOfInterest,
    ConflictSource,
    Mandate,
    Opinion,
)
from ..selectors import REVIEWED_STATUS


def _check_editable(item: AgendaItem) -> None:
    if not item.meeting.is_editable:
        raise ValidationError(_("The agenda of a meeting already held cannot be changed."))


def _check_applications(item: AgendaItem, applications: list) -> None:
    """Files go alone on an item, and a file is added only while diagnosed (files already
    on the item stay whatever their state)."""
    if applications and (item.programme_id or item.strategy_id):
        raise ValidationError(
            {
                "applications": _(
                    "An item concerns either files of a call, an annual programme or a "
                    "communication strategy: split it into several items."
                )
            }
        )
    current = set(item.applications.values_list("pk", flat=True)) if item.pk else set()
    for application in applications:
        if application.pk not in current and application.status != REVIEWED_STATUS:
            raise ValidationError(
                {
                    "applications": _(
                        "The file %(reference)s is not diagnosed: only diagnosed files go "
                        "to the committee."
                    )
                    % {"reference": application.reference or application.title}
                }
            )


@transaction.atomic
def agenda_item_save(*, item: AgendaItem, applications=None) -> AgendaItem:
    """Save an item; ``applications`` (None: unchanged) are the files of a call it concerns."""
    _check_editable(item)
    item.full_clean()
    if applications is not None:
        applications = list(applications)
        _check_applications(item, applications)
    item.save()
    if applications is not None:
        item.applications.set(applications)
    conflicts_flag_automatic(item=item)
    return item


@transaction.atomic
def agenda_item_delete(*, item: AgendaItem) -> None:
    _check_editable(item)
    if hasattr(item, "opinion"):
        raise ValidationError(_("An item with a recorded opinion cannot be deleted."))
    item.delete()


@transaction.atomic
def document_add(*, item: AgendaItem, title: str, upload, user) -> AgendaDocument:
    """Add a document to the meeting file (private storage; the form checked the content)."""
    return AgendaDocument.objects.create(
        item=item,
        title=title,
        file=upload,
        original_name=upload.name,
        content_type=validate_upload(upload),
        size=upload.size,
        uploaded_by=user,
    )


@transaction.atomic
def document_delete(*, document: AgendaDocument) -> None:
    document.file.delete(save=False)
    document.delete()


# --- conflicts of interest ------------------------------------------------------------------


def _line_reasons(item: AgendaItem, reasons: dict[int, list[str]]) -> None:
    lines = item.programme.lines.filter(beneficiary__isnull=False).select_related("beneficiary")
    for line in lines:
        reasons.setdefault(line.beneficiary_id, []).append(
            _("%(organisation)s is the beneficiary of the line “%(line)s”.")
            % {"organisation": line.beneficiary, "line": line.title}
        )


def _file_reasons(application, reasons: dict[int, list[str]]) -> None:
    names = {"reference": application.reference or _("Draft"), "title": application.title}
    reasons.setdefault(application.organisation_id, []).append(
        _("%(organisation)s is the lead organisation of the file %(reference)s “%(title)s”.")
        % {"organisation": application.organisation, **names}
    )
    for partner in (p.organisation for p in application.accepted_partnerships):
        if partner.pk == application.organisation_id:
            continue
        reasons.setdefault(partner.pk, []).append(
            _("%(organisation)s is a partner of the file %(reference)s “%(title)s”.")
            % {"organisation": partner, **names}
        )


def _concerned_organisations(item: AgendaItem) -> dict[int, list[str]]:
    """Organisation id → why it is concerned: beneficiary of a line, lead or partner of a file."""
    reasons: dict[int, list[str]] = {}
    if item.programme_id:
        _line_reasons(item, reasons)
    applications = (
        item.applications.select_related("organisation")
        .prefetch_related(
            Prefetch(
                "partnerships",
                queryset=Partnership.objects.accepted().select_related("organisation"),
                to_attr="accepted_partnerships",
            )
        )
        .order_by("reference")
    )
    for application in applications:
        _file_reasons(application, reasons)
    return reasons


def conflicts_flag_automatic(*, item: AgendaItem) -> list[ConflictOfInterest]:
    """Flag seats whose organisation is a beneficiary of a line of the item's programme, or
    the lead organisation or a partner organisation of a file on the item.

    Automatic flags that no longer apply (a file taken off the item) are withdrawn while the
    opinion is not recorded; declared conflicts are never touched.
    """
    if item.pk is None:
        return []
    reasons = _concerned_organisations(item)
    seats = list(
        Mandate.objects.active(item.meeting.date)
        .holders()
        .filter(organisation_id__in=reasons)
        .select_related("organisation")
    )
    if not Opinion.objects.filter(item=item).exists():
        item.conflicts.filter(source=ConflictSource.AUTOMATIC).exclude(
            mandate__in=[seat.pk for seat in seats]
        ).delete()
    flagged = []
    for seat in seats:
        reason = " ".join(reasons[seat.organisation_id])
        conflict, created = ConflictOfInterest.objects.get_or_create(
            item=item,
            mandate=seat,
            defaults={"source": ConflictSource.AUTOMATIC, "reason": reason},
        )
        if created:
            flagged.append(conflict)
        elif conflict.source == ConflictSource.AUTOMATIC and conflict.reason != reason:
            conflict.reason = reason
            conflict.save(update_fields=["reason"])
    return flagged


@transaction.atomic
def conflict_declare(*, item: AgendaItem, user, reason: str) -> ConflictOfInterest:
    rules.check_not_cancelled(item.meeting.is_cancelled)
    rules.check_no_opinion_yet(hasattr(item, "opinion"))
    mandate = (
        Mandate.objects.active(item.meeting.date)
        .filter(person=user)
        .select_related("holder")
        .first()
    )
    if mandate is None:
        raise ValidationError(_("You do not sit in the committee on the date of this meeting."))
    if not reason.strip():
        raise ValidationError(_("Explain how your organisation is concerned."))
    conflict, created = ConflictOfInterest.objects.get_or_create(
        item=item,
        mandate=mandate.seat,
        defaults={"source": ConflictSource.DECLARED, "reason": reason, "declared_by": user},
    )
    if not created:
        raise ValidationError(_("A conflict of interest is already recorded for this item."))
    return conflict

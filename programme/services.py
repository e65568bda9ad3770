"""Writes of the programme app: keyword-only functions under transaction.atomic."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ess_metro.accounts import roles

from .models import (
    AnnualProgramme,
    Indicator,
    Plan,
    ProgrammeLine,
    ProgrammeStatus,
    ProgrammeTransition,
)

# The annual programme's workflow (DESIGN.md): from → allowed targets.
TRANSITIONS = {
    ProgrammeStatus.DRAFT: {ProgrammeStatus.SUBMITTED},
    ProgrammeStatus.SUBMITTED: {ProgrammeStatus.COMMITTEE_OPINION, ProgrammeStatus.DRAFT},
    ProgrammeStatus.COMMITTEE_OPINION: {ProgrammeStatus.ADOPTED},
    ProgrammeStatus.ADOPTED: {ProgrammeStatus.PUBLISHED},
    ProgrammeStatus.PUBLISHED: {ProgrammeStatus.EVALUATED},
    ProgrammeStatus.EVALUATED: set(),
}


def _require_staff(user) -> None:
    if user is None or not roles.has_role(user, roles.STAFF):
        raise PermissionDenied


def _require_editable(programme: AnnualProgramme) -> None:
    if not programme.is_editable:
        raise ValidationError(
            _(
                "This programme is no longer a draft and cannot be changed: "
                "create a new version to amend it."
            )
        )


def _log(*, programme, from_status, to_status, user, comment=""):
    return ProgrammeTransition.objects.create(
        programme=programme,
        from_status=from_status,
        to_status=to_status,
        user=user,
        comment=comment,
    )


def check_transition(programme: AnnualProgramme, to_status: str) -> None:
    """Raise ValidationError unless the workflow allows ``programme`` to go to ``to_status``."""
    if to_status not in TRANSITIONS[programme.status]:
        raise ValidationError(
            _("The programme cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": programme.get_status_display(),
                "to": ProgrammeStatus(to_status).label,
            }
        )


@transaction.atomic
def programme_transition(
    *,
    programme: AnnualProgramme,
    to_status: str,
    user,
    comment: str = "",
    deliberation_reference: str = "",
    deliberation_date=None,
) -> AnnualProgramme:
    """Move the programme to ``to_status`` if the workflow allows it, and log the step.

    Adoption by the council needs the deliberation's reference and date.
    """
    programme = AnnualProgramme.objects.select_for_update().get(pk=programme.pk)
    check_transition(programme, to_status)
    update_fields = ["status", "updated_at"]
    if to_status == ProgrammeStatus.ADOPTED:
        deliberation_reference = (deliberation_reference or "").strip()
        if not deliberation_reference or deliberation_date is None:
            raise ValidationError(
                _("An adopted programme needs the reference and date of the council deliberation.")
            )
        programme.deliberation_reference = deliberation_reference
        programme.deliberation_date = deliberation_date
        update_fields += ["deliberation_reference", "deliberation_date"]
    if to_status == ProgrammeStatus.PUBLISHED:
        programme.published_on = timezone.localdate()
        update_fields.append("published_on")
    from_status = programme.status
    programme.status = to_status
    programme.save(update_fields=update_fields)
    _log(
        programme=programme,
        from_status=from_status,
        to_status=to_status,
        user=user,
        comment=comment,
    )
    return programme


def programme_record_committee_opinion(
    *, programme: AnnualProgramme, user, comment: str = ""
) -> AnnualProgramme:
    """Called by the governance app when the committee's opinion on the programme is recorded."""
    return programme_transition(
        programme=programme,
        to_status=ProgrammeStatus.COMMITTEE_OPINION,
        user=user,
        comment=comment,
    )


def _check_year_is_free(year: int) -> None:
    if AnnualProgramme.objects.filter(year=year).exists():
        raise ValidationError(
            _(
                "A programme already exists for %(year)s: open it, or create a new version "
                "of it once adopted."
            )
            % {"year": year}
        )


@transaction.atomic
def programme_create(
    *, year: int, user, title: str = "", introduction: str = "", plan: Plan | None = None
) -> AnnualProgramme:
    """An empty draft programme for a year that has none."""
    _require_staff(user)
    _check_year_is_free(year)
    plan = plan or Plan.objects.current()
    programme = AnnualProgramme.objects.create(
        plan=plan, year=year, title=title, introduction=introduction
    )
    _log(programme=programme, from_status="", to_status=ProgrammeStatus.DRAFT, user=user)
    return programme


def _copy_lines(*, source: AnnualProgramme, target: AnnualProgramme, same_lineage: bool) -> None:
    """Copy the lines and indicators of ``source`` into ``target`` (three queries).

    Within a year (a new version) lines keep their origin, so amounts linked to the earlier
    version count for the new one; across years they start afresh, without actual values.
    """
    lines = list(source.lines.prefetch_related("indicators").order_by("pk"))
    copies = ProgrammeLine.objects.bulk_create(
        [
            ProgrammeLine(
                programme=target,
                axis_id=line.axis_id,
                position=line.position,
                title=line.title,
                description=line.description,
                beneficiary_id=line.beneficiary_id,
                planned_amount=line.planned_amount,
                origin_id=line.origin_key if same_lineage else None,
            )
            for line in lines
        ]
    )
    Indicator.objects.bulk_create(
        [
            Indicator(
                line=copy,
                position=indicator.position,
                label=indicator.label,
                unit=indicator.unit,
                target=indicator.target,
                actual=indicator.actual if same_lineage else None,
                comment=indicator.comment if same_lineage else "",
            )
            for line, copy in zip(lines, copies, strict=True)
            for indicator in line.indicators.all()
        ]
    )


@transaction.atomic
def programme_copy_previous_year(*, year: int, user) -> AnnualProgramme:
    """A draft for ``year`` starting from last year's programme (its latest adopted version)."""
    _require_staff(user)
    _check_year_is_free(year)
    source = AnnualProgramme.objects.version_for(year - 1)
    if source is None:
        raise ValidationError(_("There is no programme for %(year)s to copy.") % {"year": year - 1})
    programme = AnnualProgramme.objects.create(
        plan=source.plan,
        year=year,
        title=source.title.replace(str(year - 1), str(year)),
        introduction=source.introduction,
    )
    _copy_lines(source=source, target=programme, same_lineage=False)
    _log(
        programme=programme,
        from_status="",
        to_status=ProgrammeStatus.DRAFT,
        user=user,
        comment=_("Copied from the programme %(year)s (version %(version)s).")
        % {"year": source.year, "version": source.version},
    )
    return programme


@transaction.atomic
def programme_new_version(*, programme: AnnualProgramme, user, comment: str = ""):
    """A new draft version of an adopted programme; the adopted one stays as it is."""
    _require_staff(user)
    programme = AnnualProgramme.objects.select_for_update().get(pk=programme.pk)
    if not programme.is_frozen:
        raise ValidationError(
            _("Only an adopted programme needs a new version; this one can still be edited.")
        )
    latest = AnnualProgramme.objects.filter(year=programme.year).aggregate(Max("version"))
    if latest["version__max"] != programme.version:
        raise ValidationError(_("A newer version of this programme already exists."))
    new = AnnualProgramme.objects.create(
        plan=programme.plan,
        year=programme.year,
        version=programme.version + 1,
        title=programme.title,
        introduction=programme.introduction,
        previous_version=programme,
    )
    _copy_lines(source=programme, target=new, same_lineage=True)
    _log(
        programme=new,
        from_status="",
        to_status=ProgrammeStatus.DRAFT,
        user=user,
        comment=comment
        or _("New version of version %(version)s.") % {"version": programme.version},
    )
    return new


@transaction.atomic
def programme_update(*, form, user) -> AnnualProgramme:
    """Save the title and introduction of a draft."""
    _require_staff(user)
    _require_editable(form.instance)
    return form.save()


@transaction.atomic
def programme_save_evaluation(*, form, user) -> AnnualProgramme:
    """Save the evaluation summary of a published programme."""
    _require_staff(user)
    if form.instance.status != ProgrammeStatus.PUBLISHED:
        raise ValidationError(_("The evaluation is written once the programme is published."))
    return form.save()


@transaction.atomic
def line_save(*, form, programme: AnnualProgramme, user) -> ProgrammeLine:
    """Create or change a line of a draft programme."""
    _require_staff(user)
    programme = AnnualProgramme.objects.select_for_update().get(pk=programme.pk)
    _require_editable(programme)
    line = form.save(commit=False)
    line.programme = programme
    line.save()
    return line


@transaction.atomic
def line_delete(*, line: ProgrammeLine, user) -> None:
    _require_staff(user)
    _require_editable(line.programme)
    line.delete()


@transaction.atomic
def indicator_save(*, form, line: ProgrammeLine, user) -> Indicator:
    """Targets are set in a draft; actual values and comments once it is published."""
    _require_staff(user)
    if not line.programme.indicators_editable:
        raise ValidationError(
            _("Indicators can be changed in a draft (targets) or a published programme (results).")
        )
    indicator = form.save(commit=False)
    indicator.line = line
    indicator.save()
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, user) -> None:
    _require_staff(user)
    _require_editable(indicator.line.programme)
    indicator.delete()

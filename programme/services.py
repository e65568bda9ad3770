"""Writes of the programme app: keyword-only functions under transaction.atomic."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ess_metro import workflow

from . import documents
from .models import (
    AnnualProgramme,
    DevelopmentTool,
    Indicator,
    Plan,
    ProgrammeLine,
    ProgrammeStatus,
    ProgrammeTransition,
    ToolEndowment,
    ToolSupport,
)
from .permissions import require_manager


def _require_editable(programme: AnnualProgramme) -> None:
    if not programme.is_editable:
        raise ValidationError(
            _(
                "This programme is no longer a draft and cannot be changed: "
                "create a new version to amend it."
            )
        )


def _log_creation(*, programme: AnnualProgramme, user, comment: str = "") -> None:
    """The first row of a programme's history: created as a draft (not a transition)."""
    ProgrammeTransition.objects.create(
        programme=programme, from_status="", to_status=programme.status, user=user, comment=comment
    )


def transition_to(programme: AnnualProgramme, to_status: str) -> str:
    """The name of the transition taking ``programme`` to ``to_status``.

    Raises ValidationError when the workflow declared on the model has none from its status.
    """
    for step in programme.get_all_status_transitions():
        if step.source == programme.status and step.target == to_status:
            return step.name
    raise ValidationError(
        _("The programme cannot go from “%(from)s” to “%(to)s”.")
        % {"from": programme.get_status_display(), "to": ProgrammeStatus(to_status).label}
    )


@transaction.atomic
def programme_transition(
    *,
    programme: AnnualProgramme,
    to_status: str,
    user,
    comment: str = "",
    deliberation_reference: str = "",
    deliberation_date: datetime.date | None = None,
) -> AnnualProgramme:
    """Move the programme to ``to_status`` by firing the model's transition (logged there).

    Adoption by the council needs the deliberation's reference and date.
    """
    programme = AnnualProgramme.objects.select_for_update().get(pk=programme.pk)
    name = transition_to(programme, to_status)
    if name == "adopt":
        programme.deliberation_reference = (deliberation_reference or "").strip()
        programme.deliberation_date = deliberation_date
    workflow.fire(programme, name, user=user, comment=comment)
    documents.refresh_published_pdf(programme)
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
            {
                "year": _(
                    "A programme already exists for %(year)s: open it, or create a new version "
                    "of it once adopted."
                )
                % {"year": year}
            }
        )


@transaction.atomic
def programme_create(
    *, year: int, user, title: str = "", introduction: str = "", plan: Plan | None = None
) -> AnnualProgramme:
    """An empty draft programme for a year that has none."""
    require_manager(user)
    _check_year_is_free(year)
    plan = plan or Plan.objects.current()
    programme = AnnualProgramme.objects.create(
        plan=plan, year=year, title=title, introduction=introduction
    )
    _log_creation(programme=programme, user=user)
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
    require_manager(user)
    _check_year_is_free(year)
    source = AnnualProgramme.objects.version_for(year - 1)
    if source is None:
        raise ValidationError(
            {"year": _("There is no programme for %(year)s to copy.") % {"year": year - 1}}
        )
    programme = AnnualProgramme.objects.create(
        plan=source.plan,
        year=year,
        title=source.title.replace(str(year - 1), str(year)),
        introduction=source.introduction,
    )
    _copy_lines(source=source, target=programme, same_lineage=False)
    _log_creation(
        programme=programme,
        user=user,
        comment=_("Copied from the programme %(year)s (version %(version)s).")
        % {"year": source.year, "version": source.version},
    )
    return programme


@transaction.atomic
def programme_new_version(*, programme: AnnualProgramme, user, comment: str = ""):
    """A new draft version of an adopted programme; the adopted one stays as it is."""
    require_manager(user)
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
    _log_creation(
        programme=new,
        user=user,
        comment=comment
        or _("New version of version %(version)s.") % {"version": programme.version},
    )
    return new


@transaction.atomic
def programme_update(*, form, user) -> AnnualProgramme:
    """Save the title and introduction of a draft."""
    require_manager(user)
    _require_editable(form.instance)
    return form.save()


@transaction.atomic
def programme_save_evaluation(*, form, user) -> AnnualProgramme:
    """Save the evaluation summary of a published programme."""
    require_manager(user)
    if form.instance.status != ProgrammeStatus.PUBLISHED:
        raise ValidationError(_("The evaluation is written once the programme is published."))
    programme = form.save()
    documents.refresh_published_pdf(programme)
    return programme


@transaction.atomic
def line_save(*, form, programme: AnnualProgramme, user) -> ProgrammeLine:
    """Create or change a line of a draft programme."""
    require_manager(user)
    programme = AnnualProgramme.objects.select_for_update().get(pk=programme.pk)
    _require_editable(programme)
    line = form.save(commit=False)
    line.programme = programme
    line._history_user = user
    line.save()
    return line


@transaction.atomic
def line_delete(*, line: ProgrammeLine, user) -> None:
    require_manager(user)
    _require_editable(line.programme)
    line.delete()


@transaction.atomic
def indicator_add(*, form, line: ProgrammeLine, user) -> Indicator:
    """A new indicator: only while the programme is a draft."""
    if not line.programme.is_editable:
        raise ValidationError(_("Indicators are added while the programme is a draft."))
    return indicator_save(form=form, line=line, user=user)


@transaction.atomic
def indicator_save(*, form, line: ProgrammeLine, user) -> Indicator:
    """Targets are set in a draft; actual values and comments once it is published."""
    require_manager(user)
    if not line.programme.indicators_editable:
        raise ValidationError(
            _("Indicators can be changed in a draft (targets) or a published programme (results).")
        )
    indicator = form.save(commit=False)
    indicator.line = line
    indicator.save()
    documents.refresh_published_pdf(line.programme)
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, user) -> None:
    require_manager(user)
    _require_editable(indicator.line.programme)
    indicator.delete()


# --- Development tools ---------------------------------------------------------------------


@transaction.atomic
def tool_save(*, form, user) -> DevelopmentTool:
    """Create or change a development tool."""
    require_manager(user)
    return form.save()


@transaction.atomic
def tool_record_save(*, form, user) -> ToolEndowment | ToolSupport:
    """Create or change an endowment or a supported organisation of a tool (amounts audited)."""
    require_manager(user)
    record = form.save(commit=False)
    record._history_user = user
    record.save()
    return record


@transaction.atomic
def tool_record_delete(*, record: ToolEndowment | ToolSupport, user) -> None:
    require_manager(user)
    record.delete()

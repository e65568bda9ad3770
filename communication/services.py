"""Writes of the communication app: keyword-only, typed functions under transaction.atomic.

A status changes only through the workflow transitions declared on the models
(``workflow.fire``); the e-mails leave after the commit (``notifications``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ess_metro import workflow

from . import importers, notifications
from .models import (
    CommunicationStrategy,
    Dataset,
    DatasetStatus,
    Event,
    EventStatus,
    GroupMeeting,
    NewsItem,
    Statistic,
    StrategyAction,
    WorkingGroup,
)


def unique_slug(model, text: str, *, exclude_pk=None) -> str:
    base = slugify(text)[:200] or "element"
    slug, number = base, 2
    queryset = model.objects.all()
    if exclude_pk:
        queryset = queryset.exclude(pk=exclude_pk)
    while queryset.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


def _locked(obj: models.Model) -> models.Model:
    """The object read again under a row lock, for a transition inside the transaction."""
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _log_creation(obj: workflow.WorkflowModel, *, user, comment: str = "") -> None:
    """The first row of an object's log: it was created in its current status."""
    obj.make_log(source="", target=obj.status, user=user, comment=comment).save()


@transaction.atomic
def form_save(*, form, user) -> models.Model:
    """Save a staff form as it is (its audited fields record ``user`` as their author)."""
    instance = form.save(commit=False)
    instance._history_user = user
    instance.save()
    form.save_m2m()
    return instance


# --- events ----------------------------------------------------------------------------------


def _save_proposal(event: Event, *, user, comment: str = "") -> Event:
    event.slug = unique_slug(Event, f"{event.title}-{timezone.localdate(event.starts_at):%Y}")
    event.status = EventStatus.PROPOSED
    event.save()
    _log_creation(event, user=user, comment=comment)
    return event


@transaction.atomic
def event_create(*, form, user, publish: bool = False) -> Event:
    """Staff create an event, published at once or kept as a proposal."""
    event = _save_proposal(form.save(commit=False), user=user)
    if publish:
        event = event_publish(event=event, user=user)
    return event


@transaction.atomic
def event_propose(*, form, user) -> Event:
    """A member organisation proposes an event; staff are told and publish it."""
    event = form.save(commit=False)
    event.proposed_by = user
    _save_proposal(event, user=user, comment=_("Proposed by a member."))
    notifications.event_proposed(event, proposer=user)
    return event


@transaction.atomic
def event_publish(*, event: Event, user, comment: str = "") -> Event:
    """Publish the event in the agenda; its proposer hears of it (``publish``'s hook)."""
    event = _locked(event)
    workflow.fire(event, "publish", user=user, comment=comment)
    return event


@transaction.atomic
def event_unpublish(*, event: Event, user, comment: str = "") -> Event:
    event = _locked(event)
    workflow.fire(event, "unpublish", user=user, comment=comment)
    return event


@transaction.atomic
def event_update(*, form, user) -> Event:
    """Save an event's details (staff) or a proposal's (its organisation)."""
    return form_save(form=form, user=user)


# --- news and working groups -----------------------------------------------------------------


@transaction.atomic
def news_create(*, form, user) -> NewsItem:
    item = form.save(commit=False)
    item.slug = unique_slug(NewsItem, item.title)
    item.created_by = user
    item.save()
    return item


@transaction.atomic
def news_delete(*, item: NewsItem, user) -> None:
    item.delete()


@transaction.atomic
def group_meeting_record(*, group: WorkingGroup, form, user) -> GroupMeeting:
    meeting = form.save(commit=False)
    meeting.group = group
    meeting.save()
    return meeting


# --- strategy --------------------------------------------------------------------------------


def _strategy_fire(strategy: CommunicationStrategy, name: str, *, user, comment: str):
    strategy = _locked(strategy)
    workflow.fire(strategy, name, user=user, comment=comment)
    return strategy


@transaction.atomic
def strategy_submit(
    *, strategy: CommunicationStrategy, user, comment: str = ""
) -> CommunicationStrategy:
    """Staff submit the drafted strategy to the steering committee."""
    return _strategy_fire(strategy, "submit", user=user, comment=comment)


@transaction.atomic
def strategy_withdraw(
    *, strategy: CommunicationStrategy, user, comment: str = ""
) -> CommunicationStrategy:
    """Staff take a submitted strategy back to draft (before the committee's opinion)."""
    return _strategy_fire(strategy, "withdraw", user=user, comment=comment)


@transaction.atomic
def strategy_validate(
    *, strategy: CommunicationStrategy, user, comment: str = ""
) -> CommunicationStrategy:
    """Called by the governance app when the committee validates the strategy."""
    return _strategy_fire(strategy, "validate", user=user, comment=comment)


def _require_editable(strategy: CommunicationStrategy) -> None:
    if not strategy.is_editable:
        raise ValidationError(_("Only a draft strategy can be changed."))


@transaction.atomic
def strategy_action_add(*, strategy: CommunicationStrategy, form, user) -> StrategyAction:
    """Add an action to a draft strategy (``form.instance.strategy`` is already set)."""
    _require_editable(strategy)
    action = form.save(commit=False)
    action.strategy = strategy
    action._history_user = user
    action.save()
    return action


@transaction.atomic
def strategy_action_delete(*, action: StrategyAction, user) -> CommunicationStrategy:
    strategy = action.strategy
    _require_editable(strategy)
    action._history_user = user
    action.delete()
    return strategy


# --- statistics ------------------------------------------------------------------------------


def _statistics(dataset: Dataset, rows: list[importers.ParsedRow]) -> None:
    Statistic.objects.bulk_create(
        Statistic(
            dataset=dataset,
            line_number=row.line_number,
            year=row.year,
            commune=row.commune,
            family=row.family,
            sector=row.sector,
            establishments=row.establishments,
            jobs=row.jobs,
        )
        for row in rows
    )


# The columns of a dataset that the import form fills (the file and the year aside).
IMPORT_FIELDS = ("title", "description", "format", "source", "source_url", "licence")


def dataset_import_queue(*, form, user):
    """Keep the uploaded CSV in the private storage and queue its import for the worker.

    Returns the task's result: finished at once with the immediate backend (development,
    tests), to be followed on ``dataset_import_status`` with the worker."""
    from .tasks import import_dataset

    upload = form.cleaned_data["file"]
    field = Dataset._meta.get_field("original_file")
    name = field.storage.save(field.generate_filename(None, upload.name), upload)
    fields = {key: form.cleaned_data[key] for key in IMPORT_FIELDS}
    return import_dataset.enqueue(
        fields={**fields, "data_date": form.cleaned_data["data_date"].isoformat()},
        year=form.cleaned_data.get("year"),
        file_name=name,
        original_name=upload.name,
        user_id=user.pk,
    )


@transaction.atomic
def dataset_import(
    *, fields: dict, year: int | None, file_name: str, original_name: str, user
) -> tuple[Dataset | None, importers.ParseResult]:
    """Check every row of the stored CSV; import all of it as a draft, or nothing (then the
    file is deleted and the result lists the errors)."""
    dataset = Dataset(**{key: fields[key] for key in IMPORT_FIELDS})
    dataset.data_date = datetime.date.fromisoformat(fields["data_date"])
    dataset.original_file.name = file_name
    with dataset.original_file.open("rb") as stored:
        result = importers.parse(stored.read(), format=dataset.format, year=year)
    if not result.ok:
        dataset.original_file.delete(save=False)
        return None, result
    dataset.status = DatasetStatus.DRAFT
    dataset.imported_by = user
    dataset.imported_at = timezone.now()
    dataset.row_count = result.lines_read
    dataset.save()
    comment = _("%(count)s rows imported from %(name)s.") % {
        "count": result.lines_read,
        "name": original_name,
    }
    _log_creation(dataset, user=user, comment=comment)
    _statistics(dataset, result.rows)
    return dataset, result


@transaction.atomic
def dataset_publish(*, dataset: Dataset, user) -> Dataset:
    dataset = _locked(dataset)
    workflow.fire(dataset, "publish", user=user)
    return dataset


@transaction.atomic
def dataset_discard(*, dataset: Dataset, user) -> None:
    """Drop an imported draft (a published dataset stays: it may be linked from elsewhere)."""
    dataset = _locked(dataset)
    if not dataset.is_draft:
        raise ValidationError(_("A published dataset cannot be discarded."))
    if dataset.original_file:
        dataset.original_file.delete(save=False)
    dataset.delete()

"""Writes of the communication app: keyword-only functions under transaction.atomic."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ess_metro.accounts import roles
from ess_metro.accounts.models import User
from ess_metro.notifications import notify

from . import importers
from .models import (
    CommunicationStrategy,
    Dataset,
    DatasetStatus,
    DatasetTransition,
    Event,
    EventStatus,
    EventTransition,
    NewsItem,
    Statistic,
    StrategyStatus,
    StrategyTransition,
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


def _staff_emails() -> list[str]:
    return list(
        User.objects.filter(
            Q(groups__name=roles.STAFF_GROUP) | Q(is_superuser=True), is_active=True
        )
        .values_list("email", flat=True)
        .distinct()
    )


# --- events ----------------------------------------------------------------------------------


@transaction.atomic
def event_create(*, form, user, publish: bool = False) -> Event:
    """Staff create an event, published at once or kept as a proposal."""
    event = form.save(commit=False)
    event.slug = unique_slug(Event, f"{event.title}-{timezone.localdate(event.starts_at):%Y}")
    event.status = EventStatus.PROPOSED
    event.save()
    EventTransition.objects.create(event=event, user=user, to_status=EventStatus.PROPOSED)
    if publish:
        event = event_publish(event=event, user=user)
    return event


@transaction.atomic
def event_propose(*, form, user) -> Event:
    """A member organisation proposes an event; staff are told and publish it."""
    event = form.save(commit=False)
    event.slug = unique_slug(Event, f"{event.title}-{timezone.localdate(event.starts_at):%Y}")
    event.status = EventStatus.PROPOSED
    event.proposed_by = user
    event.save()
    EventTransition.objects.create(
        event=event, user=user, to_status=EventStatus.PROPOSED, comment=_("Proposed by a member.")
    )
    staff_url = reverse("communication:staff_event_update", args=[event.pk])
    transaction.on_commit(
        lambda: notify(
            "communication/event_proposed",
            to=_staff_emails(),
            context={"event": event, "proposer": user, "path": staff_url},
        )
    )
    return event


@transaction.atomic
def event_publish(*, event: Event, user, comment: str = "") -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == EventStatus.PUBLISHED:
        raise ValidationError(_("This event is already published."))
    event.full_clean()
    event.status = EventStatus.PUBLISHED
    event.published_at = timezone.now()
    event.save(update_fields=["status", "published_at", "updated_at"])
    EventTransition.objects.create(
        event=event,
        user=user,
        from_status=EventStatus.PROPOSED,
        to_status=EventStatus.PUBLISHED,
        comment=comment,
    )
    if event.proposed_by_id and event.proposed_by_id != getattr(user, "pk", None):
        proposer = event.proposed_by
        transaction.on_commit(
            lambda: notify(
                "communication/event_published",
                to=[proposer.email],
                context={"event": event, "path": event.get_absolute_url()},
            )
        )
    return event


@transaction.atomic
def event_unpublish(*, event: Event, user, comment: str = "") -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(_("This event is not published."))
    event.status = EventStatus.PROPOSED
    event.published_at = None
    event.save(update_fields=["status", "published_at", "updated_at"])
    EventTransition.objects.create(
        event=event,
        user=user,
        from_status=EventStatus.PUBLISHED,
        to_status=EventStatus.PROPOSED,
        comment=comment,
    )
    return event


# --- news ------------------------------------------------------------------------------------


@transaction.atomic
def news_create(*, form, user) -> NewsItem:
    item = form.save(commit=False)
    item.slug = unique_slug(NewsItem, item.title)
    item.created_by = user
    item.save()
    return item


# --- strategy --------------------------------------------------------------------------------


def _strategy_move(strategy, *, to_status, allowed_from, user, comment, message):
    strategy = CommunicationStrategy.objects.select_for_update().get(pk=strategy.pk)
    if strategy.status not in allowed_from:
        raise ValidationError(message)
    from_status = strategy.status
    strategy.status = to_status
    fields = ["status", "updated_at"]
    if to_status == StrategyStatus.SUBMITTED:
        strategy.submitted_at = timezone.now()
        fields.append("submitted_at")
    if to_status == StrategyStatus.VALIDATED:
        strategy.validated_at = timezone.now()
        fields.append("validated_at")
    strategy.save(update_fields=fields)
    StrategyTransition.objects.create(
        strategy=strategy,
        user=user,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
    )
    return strategy


@transaction.atomic
def strategy_submit(*, strategy: CommunicationStrategy, user, comment: str = ""):
    """Staff submit the drafted strategy to the steering committee."""
    if not strategy.actions.exists():
        raise ValidationError(_("Add at least one action before submitting the strategy."))
    return _strategy_move(
        strategy,
        to_status=StrategyStatus.SUBMITTED,
        allowed_from={StrategyStatus.DRAFT},
        user=user,
        comment=comment,
        message=_("Only a draft strategy can be submitted to the committee."),
    )


@transaction.atomic
def strategy_withdraw(*, strategy: CommunicationStrategy, user, comment: str = ""):
    """Staff take a submitted strategy back to draft (before the committee's opinion)."""
    return _strategy_move(
        strategy,
        to_status=StrategyStatus.DRAFT,
        allowed_from={StrategyStatus.SUBMITTED},
        user=user,
        comment=comment,
        message=_("Only a strategy submitted to the committee can be taken back."),
    )


@transaction.atomic
def strategy_validate(
    *, strategy: CommunicationStrategy, user, comment: str = ""
) -> CommunicationStrategy:
    """Called by the governance app when the committee validates the strategy."""
    return _strategy_move(
        strategy,
        to_status=StrategyStatus.VALIDATED,
        allowed_from={StrategyStatus.SUBMITTED},
        user=user,
        comment=comment,
        message=_("Only a strategy submitted to the committee can be validated."),
    )


# --- statistics ------------------------------------------------------------------------------


class ImportRejected(Exception):
    """The file has errors: nothing was imported."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@transaction.atomic
def dataset_import(*, form, user) -> tuple[Dataset, importers.ParseResult]:
    """Check every row of the uploaded CSV; import all of it as a draft, or nothing."""
    upload = form.cleaned_data["file"]
    upload.seek(0)
    data = upload.read()
    result = importers.parse(
        data, format=form.cleaned_data["format"], year=form.cleaned_data.get("year")
    )
    if not result.ok:
        raise ImportRejected(result.errors)
    dataset = form.save(commit=False)
    dataset.status = DatasetStatus.DRAFT
    dataset.imported_by = user
    dataset.imported_at = timezone.now()
    dataset.row_count = result.lines_read
    dataset.original_file.save(upload.name, ContentFile(data), save=False)
    dataset.save()
    DatasetTransition.objects.create(
        dataset=dataset,
        user=user,
        to_status=DatasetStatus.DRAFT,
        comment=_("%(count)s rows imported from %(name)s.")
        % {"count": result.lines_read, "name": upload.name},
    )
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
        for row in result.rows
    )
    return dataset, result


@transaction.atomic
def dataset_publish(*, dataset: Dataset, user) -> Dataset:
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if dataset.status != DatasetStatus.DRAFT:
        raise ValidationError(_("This dataset is already published."))
    dataset.status = DatasetStatus.PUBLISHED
    dataset.published_at = timezone.now()
    dataset.save(update_fields=["status", "published_at"])
    DatasetTransition.objects.create(
        dataset=dataset,
        user=user,
        from_status=DatasetStatus.DRAFT,
        to_status=DatasetStatus.PUBLISHED,
    )
    return dataset


@transaction.atomic
def dataset_discard(*, dataset: Dataset, user) -> None:
    """Drop an imported draft (a published dataset stays: it may be linked from elsewhere)."""
    dataset = Dataset.objects.select_for_update().get(pk=dataset.pk)
    if dataset.status != DatasetStatus.DRAFT:
        raise ValidationError(_("A published dataset cannot be discarded."))
    if dataset.original_file:
        dataset.original_file.delete(save=False)
    dataset.delete()

"""One workflow mechanism for every object with a status (django-fsm-2 underneath).

A model with a workflow inherits ``WorkflowModel``, declares ``status = StatusField(...)`` and
one method per transition, decorated with ``@transition``::

    class Payment(WorkflowModel, TimeStampedModel):
        status = StatusField(choices=PaymentStatus.choices, default=PaymentStatus.PLANNED)
        status_styles = {PaymentStatus.PAID: "success", ...}   # the badge of each status

        @transition(
            field=status, source=PaymentStatus.REQUESTED, target=PaymentStatus.PAID,
            conditions=[amount_is_positive], permission=can_pay,
            custom={"label": _("Mark as paid"), "notify": notifications.payment_paid},
        )
        def pay(self, *, user, comment="", paid_on):
            self.paid_on = paid_on

Services (and only services) call ``fire(payment, "pay", user=user, paid_on=date)``, which in
one place:

1. refuses the transition, with a French reason, when the status does not allow it, when a
   condition is not met (``condition(message)`` gives a condition its reason) or when the user
   may not fire it (``permission`` is a predicate ``(obj, user) -> bool``);
2. runs the method, saves the object and writes the ``TransitionLog`` row;
3. calls the transition's ``custom["notify"]`` hook, whose e-mails leave after the commit.

A transition that declares the fields its method sets (``custom={"writes": ["paid_on"]}``)
saves only those, with the status, the edit version and the update time: one short UPDATE,
and no other column rewritten from the copy in memory. Without it, ``fire`` saves the whole
object (what the service set before firing included).

``actions_for(obj, user)`` lists the transitions a user may fire now: pages draw their buttons
from it. A status never changes any other way: ``WorkflowModel.save`` refuses a status that
differs from the one loaded unless a transition set it (``StatusChangedOutsideWorkflow``).
Creating an object in any status is allowed (imports, tests, factories).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import FSMField, Transition, can_proceed, get_available_FIELD_transitions
from django_fsm import transition as fsm_transition
from django_fsm.signals import post_transition

__all__ = [
    "StatusChangedOutsideWorkflow",
    "StatusField",
    "WorkflowModel",
    "actions_for",
    "condition",
    "fire",
    "transition",
]

transition = fsm_transition


class StatusChangedOutsideWorkflow(RuntimeError):
    """A status was assigned and saved without firing a transition: a programming error."""


class StatusField(FSMField):
    """The status of a workflow: a CharField whose changes go through ``@transition`` methods."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("verbose_name", gettext_lazy("status"))
        super().__init__(*args, **kwargs)


def condition(message: str) -> Callable:
    """Give a transition condition (``check(obj) -> bool``) the reason shown when it fails."""

    def decorate(check: Callable) -> Callable:
        check.message = message
        return check

    return decorate


class WorkflowModel(models.Model):
    """Base of every model with a ``status``: only transitions may change it.

    ``log_model`` names the ``TransitionLog`` subclass ("app_label.Model") that records the
    steps; a model whose log is shared with another object overrides ``make_log``.
    """

    log_model: str = ""
    status_styles: dict = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._check_status_change()
        super().save(*args, **kwargs)
        self._saved_status = self.status
        self._fired_status = None

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._saved_status = instance.__dict__.get("status")
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        if fields is None or "status" in fields:
            # Only a status read again from the database becomes the saved one: loading a
            # deferred field must not bless a status assigned by hand in the meantime.
            self._saved_status = self.__dict__.get("status")
            self._fired_status = None

    def _check_status_change(self) -> None:
        if self._state.adding or "status" not in self.__dict__:
            return
        saved = getattr(self, "_saved_status", self.status)
        if self.status != saved and self.status != getattr(self, "_fired_status", None):
            raise StatusChangedOutsideWorkflow(
                f"{type(self).__name__} #{self.pk}: status {saved!r} → {self.status!r} "
                "without a transition; fire one with ess_metro.workflow.fire()."
            )

    @property
    def status_style(self) -> str:
        return self.status_styles.get(self.status, "secondary")

    def make_log(self, *, source: str, target: str, user, comment: str):
        """The unsaved ``TransitionLog`` row of one step."""
        log_model = apps.get_model(self.log_model)
        return log_model(
            **{log_model.subject_field: self},
            from_status=source,
            to_status=target,
            user=user,
            comment=comment,
        )


def _mark_fired(sender, instance, target, **kwargs):
    if isinstance(instance, WorkflowModel):
        instance._fired_status = target


post_transition.connect(_mark_fired, dispatch_uid="ess_metro.workflow.mark_fired")


def _status_field(obj) -> StatusField:
    return obj._meta.get_field("status")


def _transition_of(obj, name: str) -> Transition | None:
    method = getattr(type(obj), name, None)
    meta = getattr(method, "_django_fsm", None)
    if meta is None:
        raise TypeError(f"{type(obj).__name__}.{name} is not a transition")
    return meta.get_transition(obj.status)


def unmet_conditions(obj, name: str) -> list[str]:
    """The reasons why transition ``name`` cannot be fired now (empty when it can)."""
    step = _transition_of(obj, name)
    if step is None:
        return [
            _("This action is not possible while the status is “%(status)s”.")
            % {"status": obj.get_status_display()}
        ]
    return [
        str(getattr(check, "message", _("A condition of this action is not met.")))
        for check in step.conditions
        if not check(obj)
    ]


def may_fire(obj, name: str, user) -> bool:
    """Whether ``user`` is allowed to fire ``name`` (permission only, not conditions)."""
    step = _transition_of(obj, name)
    return step is not None and step.has_perm(obj, user)


def fire(obj, name: str, *, user=None, comment: str = "", **kwargs):
    """Fire transition ``name`` on ``obj``: check, run, save, log, notify after the commit.

    ``user`` is the person acting (checked against the transition's ``permission``), or None
    for the portal's own automatic steps. Raises ``ValidationError`` with the reasons when the
    transition is not possible and ``PermissionDenied`` when the user may not fire it.
    """
    reasons = unmet_conditions(obj, name)
    if reasons:
        raise ValidationError(reasons)
    if user is not None and not may_fire(obj, name, user):
        raise PermissionDenied
    step = _transition_of(obj, name)
    source = obj.status
    # One transaction for the change and its log; inside a service's transaction, no savepoint
    # of its own (two round trips saved on every transition): an error here undoes the whole
    # service, as the checks above ran before anything was written.
    with transaction.atomic(savepoint=False):
        result = getattr(obj, name)(user=user, comment=comment, **kwargs)
        obj.save(update_fields=_written_fields(obj, step))
        obj.make_log(source=source, target=obj.status, user=user, comment=comment).save()
        hook = step.custom.get("notify")
        if hook is not None:
            hook(obj, user=user, comment=comment)
    return result


def _written_fields(obj, step: Transition) -> list[str] | None:
    """The fields a transition declares it writes, with the status and the update times."""
    writes = step.custom.get("writes")
    if writes is None:
        return None
    touched = [f.name for f in obj._meta.concrete_fields if getattr(f, "auto_now", False)]
    return [_status_field(obj).name, *writes, *touched]


@dataclass(frozen=True)
class Action:
    """A transition a page may offer as a button."""

    name: str
    label: str
    style: str = "primary"
    confirm: str = ""
    extra: dict = field(default_factory=dict)


def actions_for(obj, user, *, names: Iterable[str] | None = None) -> list[Action]:
    """The transitions ``user`` may fire on ``obj`` now, conditions met, in declaration order."""
    wanted = set(names) if names is not None else None
    found = []
    for step in get_available_FIELD_transitions(obj, _status_field(obj)):
        if wanted is not None and step.name not in wanted:
            continue
        if not step.custom.get("label") or not step.has_perm(obj, user):
            continue
        found.append(
            Action(
                name=step.name,
                label=str(step.custom["label"]),
                style=step.custom.get("style", "primary"),
                confirm=str(step.custom.get("confirm", "")),
                extra={k: v for k, v in step.custom.items() if k not in Action.__annotations__},
            )
        )
    return found


def can(obj, name: str, user=None) -> bool:
    """Whether transition ``name`` can be fired now (and by ``user`` when one is given)."""
    method = getattr(obj, name)
    if not can_proceed(method):
        return False
    return user is None or may_fire(obj, name, user)

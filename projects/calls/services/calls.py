"""Writes on calls: save with criteria and documents, publish, close."""

from django.db import transaction

from ess_metro import workflow
from projects.models import Call


@transaction.atomic
def call_save(*, form, criteria, documents) -> Call:
    """Save a call and its criteria and required documents (all three forms are valid)."""
    call = form.save()
    for formset in (criteria, documents):
        formset.instance = call
        formset.save()
    return call


@transaction.atomic
def call_publish(*, call: Call, user, now=None) -> Call:
    """Publish a draft call; ``ValidationError`` lists what prevents it, in French."""
    workflow.fire(call, "publish", user=user, now=now)
    return call


@transaction.atomic
def call_close(*, call: Call, user, now=None) -> Call:
    workflow.fire(call, "close", user=user, now=now)
    return call

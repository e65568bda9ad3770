"""Every status in the project changes only through the one workflow mechanism.

- Every model with a ``status`` field is a ``WorkflowModel`` whose status is a ``StatusField``.
- Saving a loaded object whose status was assigned by hand raises
  ``StatusChangedOutsideWorkflow``, for every such model.
- No application code bypasses the guard with ``QuerySet.update(status=...)`` or
  ``bulk_update(..., ["status"])``.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from ess_metro.workflow import StatusChangedOutsideWorkflow, StatusField, WorkflowModel

APPS = ["ess_metro", "programme", "projects", "governance", "communication"]


def _models_with_status():
    return sorted(
        (
            model
            for model in apps.get_models()
            if any(field.name == "status" for field in model._meta.concrete_fields)
            and model._meta.app_config.name.split(".")[0] in APPS
            and not model.__name__.startswith("Historical")
        ),
        key=lambda model: model._meta.label,
    )


MODELS = _models_with_status()


def test_the_ten_workflows_and_more_are_found():
    labels = {model._meta.label for model in MODELS}
    # The ten of the issue, the call, the structuring project, a partner's answer to being
    # named and an invitation to join an organisation.
    assert len(labels) == 14
    assert {
        "projects.Application",
        "projects.Convention",
        "projects.Payment",
        "projects.Report",
        "projects.ConventionAmendment",
        "governance.Meeting",
        "programme.AnnualProgramme",
        "communication.Event",
        "communication.Dataset",
        "communication.CommunicationStrategy",
    } <= labels


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_status_is_a_workflow(model):
    assert issubclass(model, WorkflowModel)
    assert isinstance(model._meta.get_field("status"), StatusField)
    assert model.log_model or model.make_log is not WorkflowModel.make_log
    assert model.status_styles, "declare the badge of each status"


def _loaded(model):
    """An object as if read from the database: not new, its saved status known."""
    obj = model()
    obj._state.adding = False
    obj._saved_status = obj.status
    return obj


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_saving_a_status_set_by_hand_is_refused(model):
    obj = _loaded(model)
    other = next(
        value
        for value, _label in model._meta.get_field("status").flatchoices
        if value != obj.status
    )
    obj.status = other
    with pytest.raises(StatusChangedOutsideWorkflow):
        obj.save()


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_workflow_declares_transitions(model):
    field = model._meta.get_field("status")
    assert list(field.get_all_transitions(model)), f"{model.__name__} has no transition"


def _bypasses(tree):
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        # The task queue's own rows (django-tasks' DBTaskResult) are not a workflow of ours.
        if "DBTaskResult" in ast.unparse(node.func.value):
            continue
        if node.func.attr == "update" and any(k.arg == "status" for k in node.keywords):
            yield node.lineno
        if node.func.attr == "bulk_update" and "status" in ast.unparse(node):
            yield node.lineno


def test_no_application_code_updates_a_status_in_bulk():
    root = Path(settings.BASE_DIR)
    found = []
    for app in APPS:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for line in _bypasses(ast.parse(path.read_text())):
                found.append(f"{path.relative_to(root)}:{line}")
    assert found == []


def test_loading_a_deferred_field_does_not_bless_a_status_set_by_hand(db):
    from demo.factories.conventions import make_convention
    from projects.models import Convention, ConventionStatus

    convention = make_convention(status=ConventionStatus.DRAFT)
    loaded = Convention.objects.only("pk", "status").get(pk=convention.pk)
    loaded.status = ConventionStatus.CLOSED
    assert loaded.title == "Recyclerie solidaire"  # loads a deferred field
    with pytest.raises(StatusChangedOutsideWorkflow):
        loaded.save()
    loaded.refresh_from_db()
    assert loaded.status == ConventionStatus.DRAFT
    loaded.save()  # the status read again is the saved one


def test_a_transition_that_declares_its_fields_saves_only_them(db):
    """``custom={"writes": […]}``: the status, the declared fields, the version and the update
    time are written; a value changed in memory by someone else's code is not."""
    from demo.factories.calls import ApplicationFactory
    from ess_metro import workflow
    from projects.models import Application, ApplicationStatus

    draft = ApplicationFactory(complete=True)
    saved = Application.objects.get(pk=draft.pk)
    draft.title = "Changed in memory only"
    workflow.fire(draft, "submit", now=saved.created_at)
    draft = Application.objects.get(pk=draft.pk)
    assert draft.status == ApplicationStatus.SUBMITTED
    assert draft.submitted_at == saved.created_at
    assert draft.title == saved.title
    assert draft.lock_version == saved.lock_version + 1 and draft.updated_at > saved.updated_at

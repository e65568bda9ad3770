"""Writes of the instruction by staff: documents, eligibility, diagnosis, opinion, decision."""

import datetime

from django.db import transaction

from ess_metro import workflow
from projects.models import Application, ApplicationMessage, CriterionScore, EconomicDiagnosis


def locked(application: Application) -> Application:
    """The file fresh from the database, locked until the end of the transaction."""
    return Application.objects.select_for_update(of=("self",)).get(pk=application.pk)


@transaction.atomic
def application_request_documents(*, application: Application, user, comment: str) -> Application:
    """Ask the applicant for documents or corrections: the file goes back to them."""
    application = locked(application)
    workflow.fire(application, "request_documents", user=user, comment=comment)
    ApplicationMessage.objects.create(
        application=application, author=user, from_staff=True, body=comment
    )
    return application


@transaction.atomic
def application_set_eligibility(
    *, application: Application, user, eligible: bool, comment: str = ""
) -> Application:
    name = "set_eligible" if eligible else "set_ineligible"
    application = locked(application)
    workflow.fire(application, name, user=user, comment=comment)
    return application


@transaction.atomic
def diagnosis_save(
    *, application: Application, user, data: dict, scores: dict
) -> EconomicDiagnosis:
    """Store the diagnosis; ``scores`` maps a criterion to ``(score, comment)``."""
    diagnosis, _created = EconomicDiagnosis.objects.get_or_create(
        application=application, defaults={"author": user}
    )
    for name, value in data.items():
        setattr(diagnosis, name, value)
    diagnosis.author = user
    diagnosis._history_user = user
    diagnosis.save()
    for criterion, (score, comment) in scores.items():
        if score is None:
            CriterionScore.objects.filter(diagnosis=diagnosis, criterion=criterion).delete()
            continue
        CriterionScore.objects.update_or_create(
            diagnosis=diagnosis,
            criterion=criterion,
            defaults={"score": score, "comment": comment},
        )
    return diagnosis


@transaction.atomic
def diagnosis_complete(*, application: Application, user, comment: str = "") -> Application:
    """The diagnosis is done: a score for every criterion, a recommendation, an amount."""
    application = locked(application)
    workflow.fire(application, "complete_diagnosis", user=user, comment=comment)
    return application


@transaction.atomic
def committee_opinion_record(
    *, application: Application, user, opinion: str, date: datetime.date, text: str
) -> Application:
    """The steering committee's opinion on a diagnosed file (also called by governance)."""
    application = locked(application)
    workflow.fire(
        application, "record_opinion", user=user, comment=text, opinion=opinion, date=date
    )
    return application


@transaction.atomic
def decision_record(*, application: Application, user, granted: bool, data: dict) -> Application:
    """The council's decision: granted (with its amount) or refused, the applicant is told."""
    comment = data.get("decision_reasons") or data.get("decision_conditions") or ""
    decision = {name: value for name, value in data.items() if name != "granted_amount"}
    application = locked(application)
    if granted:
        workflow.fire(
            application,
            "grant",
            user=user,
            comment=comment,
            granted_amount=data.get("granted_amount"),
            **decision,
        )
    else:
        workflow.fire(application, "refuse", user=user, comment=comment, **decision)
    return application

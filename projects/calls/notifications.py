"""The e-mails of the call part, one function per event (sent after the commit).

The functions that end in a workflow transition take the ``notify`` hook's signature
``(application, *, user, comment)``.
"""

from ess_metro.notifications import notify
from ess_metro.permissions import staff_recipients


def applicant_recipients(application) -> list[str]:
    """The person who started the file and its contact, once each."""
    addresses = [application.created_by.email, application.contact_email]
    return list(dict.fromkeys(address for address in addresses if address))


def application_submitted(application, *, user=None, comment: str = "") -> None:
    """The receipt to the applicant; staff hear of a resubmission after a request."""
    resubmission = getattr(application, "resubmission", False)
    context = {"application": application, "resubmission": resubmission}
    notify("projects/application_submitted", to=applicant_recipients(application), context=context)
    if resubmission:
        notify("projects/application_resubmitted", to=staff_recipients(), context=context)


def partnership_requested(partnership) -> None:
    """The partner's administrators are asked whether they take part in the file."""
    admins = partnership.organisation.memberships.filter(role="admin").select_related("user")
    notify(
        "projects/partnership_requested",
        to=[membership.user.email for membership in admins],
        context={"partnership": partnership, "application": partnership.application},
    )


def partnership_answered(partnership, *, user=None, comment: str = "") -> None:
    """The applicant hears whether the partner accepted."""
    application = partnership.application
    notify(
        "projects/partnership_answered",
        to=applicant_recipients(application),
        context={"partnership": partnership, "application": application},
    )


def documents_requested(application, *, user=None, comment: str = "") -> None:
    notify(
        "projects/application_documents_requested",
        to=applicant_recipients(application),
        context={"application": application, "comment": comment},
    )


def application_ineligible(application, *, user=None, comment: str = "") -> None:
    notify(
        "projects/application_decision",
        to=applicant_recipients(application),
        context={"application": application, "comment": comment},
    )


def application_decided(application, *, user=None, comment: str = "") -> None:
    """Granted or refused: the applicant reads the decision and its reasons."""
    notify(
        "projects/application_decision",
        to=applicant_recipients(application),
        context={"application": application, "comment": application.decision_reasons},
    )


def message_to_applicant(message) -> None:
    notify(
        "projects/application_message",
        to=applicant_recipients(message.application),
        context={"application": message.application, "message": message},
    )


def message_to_staff(message) -> None:
    notify(
        "projects/application_message_staff",
        to=staff_recipients(),
        context={"application": message.application, "message": message},
    )

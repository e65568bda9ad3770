"""The e-mails of conventions: one function per event. Each leaves after the commit
(``ess_metro.notifications.notify``); the workflow transitions call them through their
``notify`` hook."""

from ess_metro.directory.models import MembershipRole
from ess_metro.notifications import notify
from ess_metro.permissions import staff_recipients


def beneficiary_emails(convention) -> list[str]:
    return list(
        convention.beneficiary.memberships.filter(user__is_active=True).values_list(
            "user__email", flat=True
        )
    )


def convention_signed(convention, *, user=None, comment="") -> None:
    notify(
        "projects/conventions/signed",
        to=beneficiary_emails(convention),
        context={"convention": convention},
    )


def payment_paid(payment, *, user=None, comment="") -> None:
    notify(
        "projects/conventions/payment_paid",
        to=beneficiary_emails(payment.convention),
        context={"payment": payment, "convention": payment.convention},
    )


def beneficiary_admin_emails(convention) -> list[str]:
    return list(
        convention.beneficiary.memberships.filter(
            user__is_active=True, role=MembershipRole.ADMIN
        ).values_list("user__email", flat=True)
    )


def bank_details_changed(convention, *, change) -> None:
    """To the beneficiary's administrators and to staff: whoever did not make the change
    hears of it, and staff know a confirmation waits."""
    context = {"convention": convention, "change": change}
    notify(
        "projects/conventions/bank_details_changed",
        to=beneficiary_admin_emails(convention),
        context=context,
    )
    notify(
        "projects/conventions/bank_details_changed_staff", to=staff_recipients(), context=context
    )


def report_submitted(report, *, user=None, comment="") -> None:
    notify(
        "projects/conventions/report_submitted",
        to=staff_recipients(),
        context={"report": report, "convention": report.convention},
    )


def report_reviewed(report, *, user=None, comment="") -> None:
    notify(
        "projects/conventions/report_reviewed",
        to=beneficiary_emails(report.convention),
        context={"report": report, "convention": report.convention, "comment": comment},
    )


def amendment_signed(amendment, *, user=None, comment="") -> None:
    notify(
        "projects/conventions/amendment_signed",
        to=beneficiary_emails(amendment.convention),
        context={"convention": amendment.convention, "amendment": amendment},
    )


def staff_digest(data: dict) -> list[str]:
    """The daily digest, one e-mail per recipient; returns who it went to."""
    recipients = staff_recipients()
    for email in recipients:
        notify("projects/conventions/staff_digest", to=[email], context=data)
    return recipients

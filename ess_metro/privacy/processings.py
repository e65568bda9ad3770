"""The register of processings shown on the « Données personnelles » page.

The retention periods are read from the same settings that drive ``purge_expired_data``
(``RETENTION_*``), so the page never states a period the purge does not apply.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Processing:
    name: str
    purpose: str
    legal_basis: str
    data: str
    retention: str
    recipients: str


def _days(count: int) -> str:
    return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}


def _years(count: int) -> str:
    return ngettext("%(count)d year", "%(count)d years", count) % {"count": count}


def _accounts() -> Processing:
    return Processing(
        name=_("Portal accounts"),
        purpose=_("Let people sign in, act for their organisation and receive e-mails."),
        legal_basis=_("Public-interest task of the Métro (RGPD art. 6-1-e)."),
        data=_("Name, e-mail address, phone, job title, organisations, password (hashed)."),
        retention=_(
            "Until the person closes the account (« Close my account » in the account page)."
        ),
        recipients=_("The Métro's ESS officers; the portal's host (processor)."),
    )


def _call_files() -> Processing:
    return Processing(
        name=_("Files of the calls for projects"),
        purpose=_("Examine applications, prepare the committee's opinion and the decision."),
        legal_basis=_("Public-interest task of the Métro (RGPD art. 6-1-e)."),
        data=_("Contact person of the file, messages, attachments, project and budget."),
        retention=_(
            "A draft untouched for %(drafts)s is deleted; a refused, ineligible or withdrawn "
            "file is deleted %(closed)s after its last change; a granted file is kept with its "
            "convention."
        )
        % {
            "drafts": _days(settings.RETENTION_DRAFT_DAYS),
            "closed": _years(settings.RETENTION_CLOSED_FILE_YEARS),
        },
        recipients=_("The Métro's ESS officers; the members of the steering committee."),
    )


def _conventions() -> Processing:
    return Processing(
        name=_("Conventions, payments and decisions"),
        purpose=_("Grant, pay and check public subsidies; publish them as the law requires."),
        legal_basis=_(
            "Legal obligation (RGPD art. 6-1-c): public accounting, archives, loi n° 2000-321."
        ),
        data=_(
            "The people who signed, paid or reported, by name; bank details of the organisation."
        ),
        retention=_(
            "Kept under the rules of public archives; when a person closes the account, their "
            "name is replaced by « Compte supprimé n° … »."
        ),
        recipients=_("The Métro's ESS officers and accounting; the public for the open data."),
    )


def _committee() -> Processing:
    return Processing(
        name=_("Steering committee"),
        purpose=_("Convene the committee, keep its register, opinions and conflicts of interest."),
        legal_basis=_("Public-interest task of the Métro (RGPD art. 6-1-e)."),
        data=_("Members' names, colleges, mandates, attendance, declarations of interest."),
        retention=_("Kept under the rules of public archives (deliberative body)."),
        recipients=_("The Métro's ESS officers; the committee's members."),
    )


def _exports() -> Processing:
    return Processing(
        name=_("Personal-data archives (« My data »)"),
        purpose=_("Give each person a copy of the data the portal holds about them."),
        legal_basis=_("Legal obligation (RGPD art. 15 and 20)."),
        data=_("Everything the portal holds about the person, and the files they uploaded."),
        retention=_("Deleted %(days)s after it was requested.")
        % {"days": _days(settings.RETENTION_DATA_EXPORT_DAYS)},
        recipients=_("The person only."),
    )


def processings() -> list[Processing]:
    return [_accounts(), _call_files(), _conventions(), _committee(), _exports()]

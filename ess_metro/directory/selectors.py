"""Reads that build the directory's pages."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from ess_metro.audit import AuditEntry, audit_entries

from .models import LegalForm, Membership, Organisation
from .permissions import can_manage_members, can_see_audit_trail


def organisation_search(*, user, query: str = "", legal_form: str = "") -> QuerySet:
    """The organisations ``user`` sees, by name or SIRET prefix and legal form."""
    queryset = Organisation.objects.visible_to(user).select_related("commune")
    query = query.strip()
    if query:
        queryset = queryset.filter(name__icontains=query) | queryset.filter(
            siret__startswith=query.replace(" ", "")
        )
    if legal_form in LegalForm.values:
        queryset = queryset.filter(legal_form=legal_form)
    return queryset.order_by("name")


@dataclass(frozen=True)
class OrganisationPage:
    organisation: Organisation
    memberships: list[Membership]
    invitations: list
    can_manage_members: bool
    audit_entries: list[AuditEntry] | None = field(default=None)


def organisation_page(*, organisation: Organisation, user) -> OrganisationPage:
    """The organisation, its members, what ``user`` may do, and (staff) its audit trail."""
    memberships = list(organisation.memberships.select_related("user").order_by("user__last_name"))
    manage = can_manage_members(user, organisation)
    invitations = list(organisation.invitations.pending().order_by("created_at")) if manage else []
    return OrganisationPage(
        organisation=organisation,
        memberships=memberships,
        invitations=invitations,
        can_manage_members=manage,
        audit_entries=audit_entries(organisation) if can_see_audit_trail(user) else None,
    )

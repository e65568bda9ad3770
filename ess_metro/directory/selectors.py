"""Reads that build the directory's pages."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from ess_metro import search
from ess_metro.audit import AuditEntry, audit_entries

from .models import LegalForm, Membership, Organisation
from .permissions import can_manage_members, can_see_audit_trail


def organisation_search(*, user, query: str = "", legal_form: str = "") -> QuerySet:
    """The organisations ``user`` sees, by legal form and by name or SIRET: on PostgreSQL
    accents ignored, any part of the name or SIRET (trigrams), closest names first."""
    queryset = Organisation.objects.visible_to(user).select_related("commune")
    if legal_form in LegalForm.values:
        queryset = queryset.filter(legal_form=legal_form)
    query = query.strip()
    if not query:
        return queryset.order_by("name")
    if not search.is_postgresql():
        return queryset.filter(
            Q(name__icontains=query) | Q(siret__startswith=query.replace(" ", ""))
        ).order_by("name")
    return (
        queryset.filter(search.name_or_siret(query))
        .annotate(search_rank=search.name_similarity(query))
        .order_by("-search_rank", "name")
    )


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

from django.db import transaction

from .models import Membership, MembershipRole, Organisation


@transaction.atomic
def organisation_create(*, form, user) -> Organisation:
    """Register an organisation; the person who registers it becomes its administrator."""
    organisation = form.save()
    Membership.objects.create(user=user, organisation=organisation, role=MembershipRole.ADMIN)
    return organisation

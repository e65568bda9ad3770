from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ess_metro.accounts import roles
from ess_metro.audit import AuditTrail
from ess_metro.concurrency import VersionedModel
from ess_metro.models import TimeStampedModel, TransitionLog
from ess_metro.workflow import StatusField, WorkflowModel, transition

from .rules import normalize_ape, normalize_siret
from .validators import validate_ape, validate_rna, validate_siret


class Commune(models.Model):
    """One of the 49 communes of Grenoble-Alpes Métropole (reference data)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    insee_code = models.CharField(_("INSEE code"), max_length=5, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]

    def __str__(self):
        return self.name


class LegalForm(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    SCOP = "scop", _("SCOP (workers' cooperative)")
    SCIC = "scic", _("SCIC (collective-interest cooperative)")
    COOPERATIVE = "cooperative", _("Other cooperative")
    MUTUAL = "mutual", _("Mutual")
    FOUNDATION = "foundation", _("Foundation")
    ESS_COMPANY = "ess_company", _("ESS commercial company")
    COMMUNE = "commune", _("Commune")
    PUBLIC_BODY = "public_body", _("Public body")
    OTHER = "other", _("Other")


class EssFamily(models.TextChoices):
    """The legal families of the social and solidarity economy (law of 31 July 2014)."""

    ASSOCIATION = "association", _("Associations")
    COOPERATIVE = "cooperative", _("Cooperatives")
    MUTUAL = "mutual", _("Mutuals")
    FOUNDATION = "foundation", _("Foundations")
    COMPANY = "company", _("ESS commercial companies")


LEGAL_FORM_FAMILY = {
    LegalForm.ASSOCIATION: EssFamily.ASSOCIATION,
    LegalForm.SCOP: EssFamily.COOPERATIVE,
    LegalForm.SCIC: EssFamily.COOPERATIVE,
    LegalForm.COOPERATIVE: EssFamily.COOPERATIVE,
    LegalForm.MUTUAL: EssFamily.MUTUAL,
    LegalForm.FOUNDATION: EssFamily.FOUNDATION,
    LegalForm.ESS_COMPANY: EssFamily.COMPANY,
}


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see every organisation; others only those they belong to."""
        if not user.is_authenticated:
            return self.none()
        if roles.has_role(user, roles.STAFF):
            return self
        return self.filter(memberships__user=user).distinct()

    def editable_by(self, user):
        return self.visible_to(user)

    def ess(self):
        return self.filter(legal_form__in=[form.value for form in LEGAL_FORM_FAMILY])


class Organisation(TimeStampedModel, VersionedModel):
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        blank=True,
        help_text=_("14 digits, as on the INSEE notice."),
    )
    rna = models.CharField(
        _("RNA number"),
        max_length=10,
        blank=True,
        help_text=_("Required for associations: W followed by 9 digits."),
    )
    ape_code = models.CharField(
        _("APE/NAF code"), max_length=6, blank=True, help_text=_("For example 88.99B.")
    )
    esus_approved = models.BooleanField(_("ESUS approval"), default=False)
    esus_approval_date = models.DateField(_("ESUS approval date"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("Leave empty when the registered office is outside the Métro."),
    )
    city = models.CharField(
        _("city (outside the Métro)"), max_length=100, blank=True, help_text=_("If not listed.")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    staff_count = models.PositiveIntegerField(_("number of employees"), null=True, blank=True)
    description = models.TextField(_("activity"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="organisations",
        verbose_name=_("members"),
    )

    objects = OrganisationQuerySet.as_manager()

    history = AuditTrail(fields=["siret", "rna", "ape_code", "esus_approved", "esus_approval_date"])

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siret"],
                condition=~models.Q(siret=""),
                name="unique_siret",
                violation_error_message=_("An organisation with this SIRET is already registered."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:organisation_detail", args=[self.pk])

    @property
    def ess_family(self):
        return LEGAL_FORM_FAMILY.get(self.legal_form)

    @property
    def is_enterprise(self) -> bool:
        """Whether state-aid (de minimis) rules apply: anything with an economic activity."""
        return self.legal_form not in {LegalForm.COMMUNE, LegalForm.PUBLIC_BODY}

    @property
    def siren(self) -> str:
        return self.siret[:9]

    def clean(self):
        errors = {}
        self.siret = normalize_siret(self.siret)
        self.ape_code = normalize_ape(self.ape_code)
        self.rna = (self.rna or "").strip().upper()
        if self.siret:
            try:
                validate_siret(self.siret)
            except ValidationError as error:
                errors["siret"] = error.messages
        if self.legal_form == LegalForm.ASSOCIATION and not self.rna:
            errors["rna"] = [_("The RNA number is required for an association.")]
        elif self.rna:
            try:
                validate_rna(self.rna)
            except ValidationError as error:
                errors["rna"] = error.messages
        if self.ape_code:
            try:
                validate_ape(self.ape_code)
            except ValidationError as error:
                errors["ape_code"] = error.messages
        if self.esus_approved and not self.esus_approval_date:
            errors["esus_approval_date"] = [_("Give the date of the ESUS approval.")]
        if self.esus_approval_date and not self.esus_approved:
            self.esus_approved = True
        if errors:
            raise ValidationError(errors)


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MEMBER = "member", _("Member")


class Membership(TimeStampedModel):
    """A person acting for an organisation (its director, an employee, a volunteer)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    position = models.CharField(_("position"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership"),
        ]

    def __str__(self):
        return f"{self.user} — {self.organisation}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class MembershipInvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=InvitationStatus.PENDING)

    def addressed_to(self, user):
        """Invitations sent to this person's e-mail address."""
        if not user.is_authenticated or not user.email_confirmed_at:
            return self.none()
        return self.filter(email__iexact=user.email)


def _permission(name: str):
    """A transition permission read from ``directory.permissions`` when it is checked (that
    module imports these models, so it cannot be imported here)."""

    def check(instance, user) -> bool:
        from . import permissions

        return bool(getattr(permissions, name).test(user, instance))

    return check


class MembershipInvitation(WorkflowModel, TimeStampedModel):
    """An administrator asks a person to join the organisation; they join once they accept.

    Nobody becomes a member, and so sees the organisation's files, without saying yes.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("e-mail address"))
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    position = models.CharField(_("position"), max_length=150, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    status = StatusField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = MembershipInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation to join an organisation")
        verbose_name_plural = _("invitations to join an organisation")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(status="pending"),
                name="one_pending_invitation_per_person",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    log_model = "directory.InvitationTransition"
    status_styles = {InvitationStatus.ACCEPTED: "success", InvitationStatus.DECLINED: "danger"}

    @transition(
        field=status,
        source=InvitationStatus.PENDING,
        target=InvitationStatus.ACCEPTED,
        permission=_permission("is_the_invitee"),
        custom={"label": _("Accept")},
    )
    def accept(self, *, user=None, comment=""):
        self.answered_at = timezone.now()

    @transition(
        field=status,
        source=InvitationStatus.PENDING,
        target=InvitationStatus.DECLINED,
        permission=_permission("is_the_invitee"),
        custom={"label": _("Decline")},
    )
    def decline(self, *, user=None, comment=""):
        self.answered_at = timezone.now()

    @transition(
        field=status,
        source=InvitationStatus.PENDING,
        target=InvitationStatus.CANCELLED,
        permission=_permission("manages_the_invitation"),
        custom={"label": _("Cancel")},
    )
    def cancel(self, *, user=None, comment=""):
        self.answered_at = timezone.now()


class InvitationTransition(TransitionLog):
    """The log of an invitation: accepted, declined or cancelled, by whom and when."""

    subject_field = "invitation"

    invitation = models.ForeignKey(
        MembershipInvitation,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("invitation"),
    )

    class Meta(TransitionLog.Meta):
        verbose_name = _("invitation transition")
        verbose_name_plural = _("invitation transitions")

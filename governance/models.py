from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class College(models.Model):
    """One of the four colleges of the steering committee (reference data from the seed)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    number = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("composition rule"), blank=True)

    class Meta:
        verbose_name = _("college")
        verbose_name_plural = _("colleges")
        ordering = ["number"]

    def __str__(self):
        return self.name


class SeatCategory(models.TextChoices):
    """Categories of seats, each in one college, some with a quota of holders."""

    COOPERATIVES = "cooperatives", _("Cooperatives")
    MUTUALS = "mutuals", _("Mutuals")
    ASSOCIATIONS = "associations", _("Associations and solidarity enterprises")
    COMMUNE = "commune", _("Volunteer commune")
    STATE = "state", _("State")
    DEPARTMENT = "department", _("Conseil général")
    REGION = "region", _("Conseil régional")
    DEVELOPMENT_COUNCIL = "development_council", _("Conseil de développement")
    CDC = "cdc", _("Caisse des Dépôts et Consignations")
    COMPANY = "company", _("Volunteer company")
    FOUNDATION = "foundation", _("Volunteer foundation")
    INSTITUTION = "institution", _("Volunteer institution")
    RESEARCH = "research", _("Volunteer research centre")


# college code → {category: quota of holders (None: any number)}
COLLEGE_SEATS = {
    "ess-actors": {
        SeatCategory.COOPERATIVES: 2,
        SeatCategory.MUTUALS: 2,
        SeatCategory.ASSOCIATIONS: 8,
    },
    "communes": {SeatCategory.COMMUNE: None},
    "public-partners": {
        SeatCategory.STATE: 1,
        SeatCategory.DEPARTMENT: 1,
        SeatCategory.REGION: 1,
    },
    "resource-actors": {
        SeatCategory.DEVELOPMENT_COUNCIL: 1,
        SeatCategory.CDC: 1,
        SeatCategory.COMPANY: None,
        SeatCategory.FOUNDATION: None,
        SeatCategory.INSTITUTION: None,
        SeatCategory.RESEARCH: None,
    },
}


class MandateKind(models.TextChoices):
    HOLDER = "holder", _("Holder")
    SUBSTITUTE = "substitute", _("Substitute")


class MandateQuerySet(models.QuerySet):
    def active(self, on=None):
        """Mandates running on the given day (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)


class Mandate(models.Model):
    """A seat held by a person for an organisation in a college of the committee."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mandates",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="mandates",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
    )
    college = models.ForeignKey(
        College, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("college")
    )
    category = models.CharField(_("category"), max_length=30, choices=SeatCategory.choices)
    kind = models.CharField(
        _("holder or substitute"),
        max_length=10,
        choices=MandateKind.choices,
        default=MandateKind.HOLDER,
    )
    holder = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="substitutes",
        verbose_name=_("substitute of"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["college__number", "category", "kind", "person__last_name"]

    def __str__(self):
        return f"{self.person} — {self.college} ({self.get_kind_display()})"

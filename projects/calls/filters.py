"""Filters of the staff list of applications (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ess_metro import search
from ess_metro.directory.models import Commune, LegalForm, Organisation
from projects.models import Application, ApplicationStatus, Call

# The columns of the text vector of migration projects 0007.
SEARCH_COLUMNS = ["reference", "title", "summary", "social_need", "innovation", "partners"]
SQLITE_LOOKUPS = [
    *SEARCH_COLUMNS,
    "organisation__name",
    "organisation__acronym",
    "organisation__siret",
]
MAX_ORGANISATIONS = 1000


class ApplicationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    call = django_filters.ModelChoiceFilter(
        label=_("Call"), queryset=Call.objects.order_by("-year", "title")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ApplicationStatus.choices)
    commune = django_filters.ModelChoiceFilter(
        label=_("Commune reached"), queryset=Commune.objects.order_by("name"), method="by_commune"
    )
    legal_form = django_filters.ChoiceFilter(
        label=_("Legal form"), choices=LegalForm.choices, field_name="organisation__legal_form"
    )
    amount_min = django_filters.NumberFilter(
        label=_("Amount requested from (€)"), field_name="requested_amount", lookup_expr="gte"
    )
    amount_max = django_filters.NumberFilter(
        label=_("Amount requested up to (€)"), field_name="requested_amount", lookup_expr="lte"
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("submitted_at", "submitted"),
            ("requested_amount", "amount"),
            ("organisation__name", "organisation"),
            ("reference", "reference"),
            ("status", "status"),
        ),
        field_labels={
            "submitted": _("Submission date"),
            "amount": _("Amount requested"),
            "organisation": _("Organisation"),
            "reference": _("Reference"),
            "status": _("Status"),
        },
    )

    class Meta:
        model = Application
        fields = ["q", "call", "status", "commune", "legal_form", "amount_min", "amount_max"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")

    def search(self, queryset, name, value):
        """Full-text search in French of the file's texts, or its lead or partner organisation
        by name or SIRET (PostgreSQL, ranked); every word in one column on SQLite."""
        value = value.strip()
        if not value:
            return queryset
        if not search.is_postgresql():
            return self.simple_search(queryset, value)
        for word in search.words(value):
            queryset = queryset.filter(self.word_condition(word))
        if not self.data.get("sort"):
            queryset = queryset.annotate(search_rank=search.rank(value)).order_by(
                "-search_rank", "-submitted_at", "-pk"
            )
        return queryset

    @staticmethod
    def word_condition(word: str) -> Q:
        """PostgreSQL: the word is in the file's texts (GIN index), or names its lead or a
        partner organisation (trigram index); the organisations are looked up first, so each
        part of the condition uses its index."""
        condition = Q(search.full_text(word))
        organisations = list(
            Organisation.objects.filter(search.name_or_siret(word)).values_list("pk", flat=True)[
                :MAX_ORGANISATIONS
            ]
        )
        if organisations:
            partnered = Application.partner_organisations.through.objects.filter(
                organisation_id__in=organisations
            ).values_list("application_id", flat=True)
            condition |= Q(organisation_id__in=organisations) | Q(pk__in=list(partnered))
        return condition

    def simple_search(self, queryset, value):
        """SQLite: every word in a text, the reference or an organisation's name or SIRET."""
        for word in search.words(value):
            partnered = Application.objects.filter(
                partner_organisations__name__icontains=word
            ).values("pk")
            condition = Q(pk__in=partnered)
            for lookup in SQLITE_LOOKUPS:
                condition |= Q(**{f"{lookup}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset

    def by_commune(self, queryset, name, value):
        return queryset.filter(Q(communes=value) | Q(whole_agglomeration=True)).distinct()

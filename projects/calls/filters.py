"""Filters of the staff list of applications (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ess_metro.directory.models import Commune, LegalForm
from projects.models import Application, ApplicationStatus, Call


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
        """Words searched in the reference, title, texts, lead and partner organisation names
        (all must match)."""
        for word in value.split()[:8]:
            queryset = queryset.filter(
                Q(reference__icontains=word)
                | Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(social_need__icontains=word)
                | Q(innovation__icontains=word)
                | Q(partners__icontains=word)
                | Q(organisation__name__icontains=word)
                | Q(organisation__acronym__icontains=word)
                | Q(
                    pk__in=Application.objects.filter(
                        partner_organisations__name__icontains=word
                    ).values("pk")
                )
            )
        return queryset

    def by_commune(self, queryset, name, value):
        return queryset.filter(Q(communes=value) | Q(whole_agglomeration=True)).distinct()

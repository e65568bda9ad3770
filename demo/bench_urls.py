"""The URLconf of `make bench` (settings BENCH=1): the portal, plus what it is compared with.

- ``/mesure/nu/``: a bare Django view through the same middleware stack;
- ``/mesure/admin/``: Django admin's changelists of the models the staff lists show, with the
  same rows, joins and page sizes.

Never used outside the benchmark (tools/bench.py).
"""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from ess_metro.directory.models import Organisation
from ess_metro.urls import urlpatterns as portal_urlpatterns
from projects.models import Application, ApplicationStatus, Convention, Payment


class BenchAdminSite(admin.AdminSite):
    site_header = "ESS Métro (mesure)"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_authenticated


site = BenchAdminSite(name="bench_admin")


@admin.register(Application, site=site)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "organisation", "status", "requested_amount"]
    list_select_related = ["call", "organisation", "organisation__commune"]
    list_per_page = 25
    search_fields = ["reference", "title", "summary", "organisation__name"]
    ordering = ["-submitted_at", "-created_at"]
    show_full_result_count = True

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(status=ApplicationStatus.DRAFT)

    def has_view_permission(self, request, obj=None):
        return True


@admin.register(Convention, site=site)
class ConventionAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "beneficiary", "status", "amount_granted"]
    list_select_related = ["beneficiary", "structuring_project"]
    list_per_page = 50
    search_fields = ["reference", "beneficiary__name"]
    ordering = ["-start_year", "reference"]

    def has_view_permission(self, request, obj=None):
        return True


@admin.register(Organisation, site=site)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_form", "siret", "commune"]
    list_select_related = ["commune"]
    list_per_page = 50
    search_fields = ["name", "acronym", "siret"]
    ordering = ["name"]

    def has_view_permission(self, request, obj=None):
        return True


@admin.register(Payment, site=site)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["due_date", "convention", "amount", "status"]
    list_select_related = ["convention__beneficiary", "tranche", "report"]
    list_per_page = 50
    ordering = ["due_date", "pk"]

    def has_view_permission(self, request, obj=None):
        return True


@login_not_required
def bare(request):
    return HttpResponse("<!doctype html><title>ok</title><p>ok</p>")


urlpatterns = [
    path("mesure/nu/", bare),
    path("mesure/admin/", site.urls),
    *portal_urlpatterns,
]

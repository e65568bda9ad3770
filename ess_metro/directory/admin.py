from django.contrib import admin

from .models import Commune, Membership, Organisation


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "insee_code"]
    search_fields = ["name", "insee_code"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_form", "siret", "commune", "esus_approved"]
    list_filter = ["legal_form", "esus_approved", "commune"]
    search_fields = ["name", "acronym", "siret", "rna"]
    inlines = [MembershipInline]

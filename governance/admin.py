"""Reference data of the committee for administrators; everyday work happens in /gestion/comite/."""

from django.contrib import admin

from .models import College, Mandate


@admin.register(College)
class CollegeAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "code"]


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    list_display = [
        "person",
        "organisation",
        "college",
        "category",
        "kind",
        "start_date",
        "end_date",
    ]
    list_filter = ["college", "kind"]
    list_select_related = ["person", "organisation", "college"]
    search_fields = ["person__last_name", "person__email", "organisation__name"]
    raw_id_fields = ["person", "organisation", "holder"]

from django.contrib import admin

from .models import AnnualProgramme, Axis, Orientation, Plan, ProgrammeLine


class OrientationInline(admin.TabularInline):
    model = Orientation
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["short_title", "period_start", "period_end", "is_current"]
    inlines = [OrientationInline]


class AxisInline(admin.TabularInline):
    model = Axis
    extra = 0


@admin.register(Orientation)
class OrientationAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "plan"]
    inlines = [AxisInline]


@admin.register(AnnualProgramme)
class AnnualProgrammeAdmin(admin.ModelAdmin):
    list_display = ["year", "version", "status"]


@admin.register(ProgrammeLine)
class ProgrammeLineAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "axis", "planned_amount"]
    list_filter = ["programme__year", "axis__orientation"]

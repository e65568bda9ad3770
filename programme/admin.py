from django.contrib import admin

from .models import (
    AnnualProgramme,
    Axis,
    DevelopmentTool,
    Indicator,
    Orientation,
    Plan,
    ProgrammeLine,
    ProgrammeTransition,
    ToolEndowment,
    ToolSupport,
)


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


class TransitionInline(admin.TabularInline):
    model = ProgrammeTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "user", "at", "comment"]
    can_delete = False


@admin.register(AnnualProgramme)
class AnnualProgrammeAdmin(admin.ModelAdmin):
    """Reference view only: the workflow is run from the staff pages (/gestion/programmation/)."""

    list_display = ["year", "version", "status", "deliberation_reference"]
    list_filter = ["status"]
    readonly_fields = ["status", "previous_version", "published_on"]
    inlines = [TransitionInline]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(ProgrammeLine)
class ProgrammeLineAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "axis", "planned_amount"]
    list_filter = ["programme__year", "axis__orientation"]
    list_select_related = ["programme", "axis__orientation"]
    inlines = [IndicatorInline]


class EndowmentInline(admin.TabularInline):
    model = ToolEndowment
    extra = 0
    raw_id_fields = ["line"]


class SupportInline(admin.TabularInline):
    model = ToolSupport
    extra = 0
    raw_id_fields = ["organisation"]


@admin.register(DevelopmentTool)
class DevelopmentToolAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "operator", "is_published"]
    list_filter = ["kind", "is_published"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [EndowmentInline, SupportInline]

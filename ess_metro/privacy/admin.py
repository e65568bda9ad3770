from django.contrib import admin

from .models import AccountClosure, PurgeLog


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccountClosure)
class AccountClosureAdmin(ReadOnlyAdmin):
    list_display = ["user", "closed_at", "roles"]


@admin.register(PurgeLog)
class PurgeLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "rule", "object_type", "object_id", "description"]
    list_filter = ["rule"]

"""The audit log in the Django admin: read-only (the application never updates or deletes it)."""

from django.contrib import admin

from mlsys.core.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows operators read but never add, change or delete from the admin."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "conference", "actor", "object_repr"]
    list_select_related = ["conference", "actor"]
    list_filter = ["created_at"]
    search_fields = ["action", "object_repr", "actor__email", "conference__slug", "note"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "conference",
        "actor",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "changes",
        "note",
    ]
    readonly_fields = fields

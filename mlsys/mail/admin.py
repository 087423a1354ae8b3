"""The outbox in the Django admin, read-only: delivery moves its rows through their states
(mlsys.mail.tasks) and a row edited by hand could be sent twice or never."""

from django.contrib import admin

from mlsys.core.admin import ReadOnlyAdmin
from mlsys.mail.models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "subject", "recipients", "status", "attempts", "sent_at"]
    list_select_related = ["conference"]
    list_filter = ["status", "template_key"]
    search_fields = ["subject", "to", "template_key", "conference__slug"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "conference",
        "template_key",
        "to",
        "reply_to",
        "subject",
        "body",
        "status",
        "attempts",
        "claimed_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields

    @admin.display(description="To")
    def recipients(self, email: OutboundEmail) -> str:
        return ", ".join(email.to)

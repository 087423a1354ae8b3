"""The outbox in the Django admin: read-only rows (delivery moves them through their states,
mlsys.mail.tasks, and a row edited by hand could be sent twice or never) with one action,
"Resend", which puts failed rows back to pending on a fresh schedule (services.resend). The
chairs' own view of their conference's outbox is the outbox page (mail:outbox)."""

from django.contrib import admin, messages

from mlsys.core.admin import ReadOnlyAdmin
from mlsys.mail import services
from mlsys.mail.models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "subject",
        "recipients",
        "conference",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_select_related = ["conference"]
    list_filter = ["status", "conference", "template_key"]
    search_fields = ["subject", "to", "template_key", "conference__slug"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    fields = [
        "created_at",
        "conference",
        "template_key",
        "paper_number",
        "to",
        "reply_to",
        "subject",
        "body",
        "status",
        "attempts",
        "next_attempt_at",
        "give_up_at",
        "claimed_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields

    @admin.display(description="To")
    def recipients(self, email: OutboundEmail) -> str:
        return ", ".join(email.to)

    @admin.action(description="Resend the selected failed emails")
    def resend(self, request, queryset) -> None:
        moved = services.resend(queryset)
        skipped = queryset.count() - moved
        note = f" ({skipped} not failed, left alone)" if skipped else ""
        level = messages.SUCCESS if moved else messages.WARNING
        self.message_user(request, f"Resending {moved} email(s){note}.", level)

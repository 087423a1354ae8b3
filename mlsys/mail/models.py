"""Email templates chairs can edit, and the outbox every email goes through.

Who may see and change them is declared in mlsys.conferences.rules, which knows the roles."""

from django.db import models

from mlsys.core.models import BaseModel


class EmailTemplate(BaseModel):
    """A conference's own wording of one email. Without a row, the built-in default is used."""

    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.CASCADE, related_name="email_templates"
    )
    key = models.CharField(max_length=80)
    subject = models.CharField(max_length=200)
    body = models.TextField()

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "key"], name="email_template_unique")
        ]

    def __str__(self) -> str:
        return self.key


class OutboundEmail(BaseModel):
    """One email to send, written in the same transaction as the change that caused it.

    Delivery (``mlsys.mail.tasks.deliver``) claims a pending row (``sending``, ``claimed_at``),
    talks SMTP outside any transaction, then records ``sent``; a permanent refusal (an SMTP 5xx
    reply) records ``failed`` at once; a transient fault (4xx, connection refused, timeout)
    puts the row back to ``pending`` with ``next_attempt_at`` further out (mlsys.mail.schedule),
    until ``give_up_at`` passes and it is ``failed``. The sweep is the only retry loop: it sends
    the pending rows that are due and re-queues claims older than ``tasks.CLAIM_TIMEOUT`` (the
    worker died mid-send). Chairs and operators resend failed rows (``services.resend``).

    A ``held`` row (``queue_email(hold=True)``, e.g. a decision letter) waits for a person to
    read it: neither the sender nor the sweep touch it until ``services.send_held`` moves it to
    ``pending``; ``services.discard_held`` deletes it unsent.

    A ``suppressed`` row (written while ``services.suppressed_mail()`` is on, i.e. while
    ``seed_demo`` seeds) is never sent by anything: demo mail stays in the outbox.
    """

    class Status(models.TextChoices):
        HELD = "held", "Held for review"
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SUPPRESSED = "suppressed", "Not sent (demo)"

    conference = models.ForeignKey(
        "conferences.Conference",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outbound_emails",
    )
    template_key = models.CharField(max_length=80, blank=True)
    to = models.JSONField(help_text="List of recipient addresses.")
    reply_to = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker claimed the row to send it."
    )

    next_attempt_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the sweep may next try a pending row (the queued task tries it first).",
    )
    give_up_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="After this a transient failure marks the row failed (MAIL_GIVE_UP_AFTER).",
    )
    paper_number = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="The paper the email is about (its template's {number}), so pages can hide "
        "it from people conflicted with that paper.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due_idx",
                condition=models.Q(status="pending"),
            ),
            models.Index(fields=["conference", "status"], name="outbox_conference_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"

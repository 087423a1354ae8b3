"""An artifact's two threads: authors ↔ evaluators (evaluators shown by alias) and
evaluators-only (with the AE chairs)."""

from django.conf import settings
from django.db import models

from artifacts import enums
from mlsys.core.models import BaseModel


class ArtifactMessage(BaseModel):
    artifact = models.ForeignKey(
        "artifacts.Artifact", on_delete=models.CASCADE, related_name="messages"
    )
    thread = models.CharField(max_length=12, choices=enums.Thread.choices)
    kind = models.CharField(
        max_length=16, choices=enums.MessageKind.choices, default=enums.MessageKind.MESSAGE
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: The sender's part when it was written (author, evaluator, chair, system).
    sender_role = models.CharField(max_length=10, choices=enums.Mover.choices)
    #: What the authors see as the sender ("Evaluator B", "The evaluators", "The AE chairs").
    alias = models.CharField(max_length=40, blank=True)
    body = models.TextField()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["artifact", "thread", "created_at"])]

    def __str__(self) -> str:
        return f"{self.thread} message {self.pk} on {self.artifact_id}"

"""The authors' side of an artifact: the invitation sent when their paper's acceptance is
released (once per paper)."""

from django.db import models

from mlsys.core.models import BaseModel


class ArtifactInvitation(BaseModel):
    """The authors of ``submission`` were invited to register an artifact (sent once: the
    release of decisions may run again, the invitation does not)."""

    submission = models.OneToOneField(
        "submissions.Submission", on_delete=models.CASCADE, related_name="artifact_invitation"
    )
    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.CASCADE, related_name="artifact_invitations"
    )
    #: The addresses the invitation went to (the paper's authors at the time).
    sent_to = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["conference", "submission__number"]

    def __str__(self) -> str:
        return f"Artifact invitation for #{self.submission_id}"

"""Committee tasks (beat): invitation reminders."""

from celery import shared_task

from mlsys.conferences import archive, invitations
from mlsys.conferences.enums import InvitationStatus


@shared_task(name="conferences.remind_invitations")
def remind_invitations(*, conference_id: int | None = None) -> int:
    """Remind pending invitees of one conference (or of every conference with pending
    invitations); each person at most once per ``invitations.REMINDER_INTERVAL``. Archived
    conferences are skipped: their invitations can no longer be answered."""
    conferences = (
        archive.active_conferences().filter(memberships__status=InvitationStatus.INVITED).distinct()
    )
    if conference_id is not None:
        conferences = conferences.filter(pk=conference_id)
    return sum(invitations.remind_pending(conference=c) for c in conferences)

"""Decision letter work off the request path: render one paper's letter PDF, build a ZIP."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from decisions.letters import services
from decisions.models import LetterArchive
from mlsys.conferences.models import Conference
from submissions.models import Submission


@shared_task(name="decisions.render_letter")
def render_letter(*, submission_id: int) -> str:
    """Render and store the paper's letter (again: the newest review text wins)."""
    submission = Submission.objects.filter(pk=submission_id).first()
    if submission is None:
        return "gone"
    return "stored" if services.store_letter(submission) else "not released"


@shared_task(name="decisions.build_letter_archive")
def build_letter_archive(*, archive_id: int) -> str:
    archive = LetterArchive.objects.filter(pk=archive_id).select_related("conference").first()
    if archive is None:
        return "gone"
    return "ready" if services.build_archive(archive) else "skipped"


@shared_task(name="decisions.prepare_letters")
def prepare_letters(*, conference_id: int, user_id: int) -> str:
    """Prepare the missing letters as the chair who asked (their conflicts left out)."""
    conference = Conference.objects.filter(pk=conference_id).first()
    user = get_user_model().objects.filter(pk=user_id).first()
    if conference is None or user is None:
        return "gone"
    try:
        done = services.prepare_letters(conference=conference, actor=user)
    except PermissionDenied:
        return "refused"
    return f"prepared {done.prepared}"

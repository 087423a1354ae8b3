"""Every write of the decision letters: prepare the emails (held), send or discard them, store a
paper's letter PDF, and build a ZIP of the letters.

Preparing is idempotent per decision and recipient (``LetterEmail``): preparing twice adds only
the letters still missing. Only released decisions get letters. A chair never prepares, sends,
discards or downloads the letter of a paper they are conflicted with: those are left to another
chair (the counts and lists they see leave them out).
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections import Counter
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from decisions import enums
from decisions.letters import emails
from decisions.letters.pdf import render_letter_pdf
from decisions.letters.queries import (
    RELEASED_STATUSES,
    email_context,
    held,
    letter_content,
    recipients,
    released_decisions,
)
from decisions.models import Decision, DecisionLetter, LetterArchive, LetterEmail
from mlsys.celery import enqueue_on_commit
from mlsys.conferences.viewer import require
from mlsys.core import audit, transitions
from mlsys.mail.models import OutboundEmail
from mlsys.mail.services import discard_held, queue_email, send_held

log = logging.getLogger(__name__)
MANAGE = "decisions.manage_decisions"
REFUSED = "Only the program chairs handle decision letters."


@dataclass
class Prepared:
    #: Emails written (held) now.
    prepared: int = 0
    #: Papers that got at least one new email.
    papers: int = 0
    #: Letters that already existed (prepared before), left alone.
    existing: int = 0


def prepare_letters(*, conference, actor, track=None) -> Prepared:
    """Write a held decision email to each author of each released paper (one per paper and
    address) that has none yet, from the template of the outcome's kind. Nothing is sent."""
    viewer, user = require(actor, MANAGE, conference, REFUSED)
    decisions = released_decisions(conference, viewer)
    if track is not None:
        decisions = decisions.filter(submission__track=track)
    done = set(
        LetterEmail.objects.filter(decision__in=decisions).values_list("decision_id", "recipient")
    )
    existing = Counter(decision_id for decision_id, _ in done)
    result = Prepared()
    for decision in decisions:
        submission = decision.submission
        submission.conference = conference
        missing = [
            (address, name)
            for address, name in recipients(submission)
            if (decision.pk, address) not in done
        ]
        result.existing += existing[decision.pk]
        if not missing:
            continue
        content = letter_content(decision)
        key = emails.LETTER_KEYS[decision.outcome.kind]
        try:
            with transaction.atomic():
                for address, name in missing:
                    email = queue_email(
                        to=[address],
                        key=key,
                        conference=conference,
                        context=email_context(content, name=name),
                        hold=True,
                    )
                    LetterEmail.objects.create(decision=decision, recipient=address, email=email)
        except IntegrityError:  # another run prepared this paper meanwhile: its letters stand
            result.existing += len(missing)
            continue
        result.prepared += len(missing)
        result.papers += 1
    if result.prepared:
        audit.record(
            "decisions.letters_prepared",
            actor=user,
            target=conference,
            changes={"held": [None, result.prepared]},
            note=f"{result.papers} paper(s)",
        )
    return result


def request_preparation(*, conference, actor) -> None:
    """Prepare the letters in the background (``decisions.prepare_letters``): at 10,000 papers
    preparing takes minutes. Asking twice is harmless (preparing is idempotent)."""
    _, user = require(actor, MANAGE, conference, REFUSED)
    enqueue_on_commit("decisions.prepare_letters", conference_id=conference.pk, user_id=user.pk)


def send_letters(*, conference, actor) -> int:
    """Send every held letter the chair may see (held → pending, delivered by the outbox)."""
    viewer, user = require(actor, MANAGE, conference, REFUSED)
    with transaction.atomic():
        sent = send_held(OutboundEmail.objects.filter(decision_letter__in=held(conference, viewer)))
        if sent:
            audit.record(
                "decisions.letters_sent",
                actor=user,
                target=conference,
                changes={"sent": [None, sent]},
            )
    return sent


def discard_letters(*, conference, actor) -> int:
    """Delete every held letter the chair may see, unsent (to prepare them again after editing
    the template). Letters already sent or being sent are never touched."""
    viewer, user = require(actor, MANAGE, conference, REFUSED)
    with transaction.atomic():
        ids = list(held(conference, viewer).values_list("email_id", flat=True))
        discarded = discard_held(OutboundEmail.objects.filter(pk__in=ids))
        if discarded:
            audit.record(
                "decisions.letters_discarded",
                actor=user,
                target=conference,
                changes={"held": [discarded, 0]},
            )
    return discarded


def store_letter(submission) -> DecisionLetter | None:
    """Render and store ``submission``'s decision letter PDF (replacing an older one). None when
    its decision is not released. Called by the task and by a download that finds none."""
    decision = (
        Decision.objects.filter(
            submission=submission,
            status=enums.DecisionStatus.RELEASED,
            submission__status__in=RELEASED_STATUSES,
        )
        .select_related("submission__conference", "outcome")
        .first()
    )
    if decision is None:
        return None
    data = render_letter_pdf(letter_content(decision))
    name = f"decision-{decision.submission.number}.pdf"
    letter = DecisionLetter.objects.filter(submission=submission).first()
    old = letter.file.name if letter and letter.file else None
    if letter is None:
        letter = DecisionLetter(
            conference_id=decision.submission.conference_id, submission=decision.submission
        )
    letter.generated_at = timezone.now()
    letter.file.save(name, ContentFile(data), save=False)
    letter.save()
    if old and old != letter.file.name:
        letter.file.storage.delete(old)
    return letter


def letter_of(submission) -> DecisionLetter | None:
    """The stored letter, rendered now if the task has not stored it yet."""
    letter = DecisionLetter.objects.filter(submission=submission).first()
    if letter is not None and letter.file:
        return letter
    return store_letter(submission)


def queue_letters(submissions) -> None:
    """Render the letters of these (just released) papers in the background."""
    for submission in submissions:
        enqueue_on_commit("decisions.render_letter", submission_id=submission.pk)


def request_archive(*, conference, actor) -> LetterArchive:
    """Start building a ZIP of the letters of every released paper the chair may download."""
    viewer, user = require(actor, MANAGE, conference, REFUSED)
    with transaction.atomic():
        archive = LetterArchive.objects.create(
            conference=conference,
            requested_by=user,
            total=released_decisions(conference, viewer).count(),
        )
        audit.record("decisions.letter_archive_requested", actor=user, target=archive)
        enqueue_on_commit("decisions.build_letter_archive", archive_id=archive.pk)
    return archive


def build_archive(archive: LetterArchive) -> bool:
    """Build the ZIP (``paper-<number>.pdf`` per released paper the requester may download),
    rendering missing letters on the way. Returns whether it is ready."""
    table = enums.BUILD_TRANSITIONS
    S = enums.BuildStatus
    if not transitions.transition(
        archive, S.RUNNING, table=table, action="decisions.letter_archive_status"
    ):
        return False
    requester = archive.requested_by
    decisions = released_decisions(archive.conference, requester) if requester else []
    buffer = io.BytesIO()
    try:
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as bundle:
            for count, decision in enumerate(decisions, start=1):
                letter = letter_of(decision.submission)
                if letter is not None:
                    with letter.file.open("rb") as handle:
                        bundle.writestr(f"paper-{decision.submission.number}.pdf", handle.read())
                if count % 10 == 0:
                    LetterArchive.objects.filter(pk=archive.pk).update(done=count)
        name = f"{archive.conference.slug}-decision-letters-{archive.pk}.zip"
        archive.file.save(name, ContentFile(buffer.getvalue()), save=False)
        LetterArchive.objects.filter(pk=archive.pk).update(file=archive.file.name)
    except Exception as error:  # recorded on the archive for the chair; the page says it failed
        log.exception("Letter archive %s failed", archive.pk)
        transitions.transition(
            archive,
            S.FAILED,
            table=table,
            action="decisions.letter_archive_status",
            error=f"{type(error).__name__}: {error}"[:500],
        )
        return False
    return transitions.transition(
        archive,
        S.READY,
        table=table,
        action="decisions.letter_archive_status",
        done=archive.total,
    )

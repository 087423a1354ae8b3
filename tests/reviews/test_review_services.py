"""Writing a review: drafts, submission, revisions and optimistic locking (services)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mlsys.conferences.enums import DeadlineKind, Phase, PhaseMode
from mlsys.core.errors import Conflict
from mlsys.core.models import AuditEvent
from reviews.enums import ReviewState
from reviews.models import Review, ReviewRevision
from reviews.reviewing import services
from submissions.models import Submission
from tests import factories
from tests.reviews.reviewing_helpers import FULL_ANSWERS, assign, make_paper


@pytest.fixture
def assignment(conference, author, ml_reviewer):
    return assign(make_paper(conference, author), ml_reviewer)


def test_first_draft_creates_the_review_and_later_drafts_bump_the_version(assignment, ml_reviewer):
    review = services.save_draft(
        assignment, actor=ml_reviewer, answers={"summary": "First"}, expected_version=0
    )
    assert (review.state, review.version, review.answers) == ("draft", 1, {"summary": "First"})
    review = services.save_draft(
        assignment,
        actor=ml_reviewer,
        answers={"summary": "Second", "overall_merit": "5"},
        expected_version=1,
    )
    review.refresh_from_db()
    assert review.version == 2
    assert review.answers == {"summary": "Second", "overall_merit": 5}
    assert AuditEvent.objects.filter(action="review.started").count() == 1


def test_stale_draft_is_refused_with_the_current_answers(assignment, ml_reviewer):
    services.save_draft(assignment, actor=ml_reviewer, answers={"summary": "A"}, expected_version=0)
    services.save_draft(assignment, actor=ml_reviewer, answers={"summary": "B"}, expected_version=1)
    with pytest.raises(Conflict) as info:
        services.save_draft(
            assignment, actor=ml_reviewer, answers={"summary": "old tab"}, expected_version=1
        )
    assert info.value.current == {"version": 2, "answers": {"summary": "B"}}
    assert Review.objects.get().answers == {"summary": "B"}


def test_draft_with_a_score_off_the_scale_is_refused(assignment, ml_reviewer):
    with pytest.raises(ValidationError) as info:
        services.save_draft(
            assignment, actor=ml_reviewer, answers={"overall_merit": "9"}, expected_version=0
        )
    assert "overall_merit" in info.value.message_dict
    assert not Review.objects.exists()


def test_submit_missing_required_fields_is_refused_and_nothing_changes(assignment, ml_reviewer):
    services.save_draft(assignment, actor=ml_reviewer, answers={"summary": "S"}, expected_version=0)
    answers = {**FULL_ANSWERS, "weaknesses": ""}
    with pytest.raises(ValidationError) as info:
        services.submit_review(assignment, actor=ml_reviewer, answers=answers, expected_version=1)
    assert list(info.value.message_dict) == ["weaknesses"]
    review = Review.objects.get()
    assert (review.state, review.answers, review.version) == ("draft", {"summary": "S"}, 1)
    assert not ReviewRevision.objects.exists()


def test_submit_stores_revision_one_and_revise_records_changed_fields(assignment, ml_reviewer):
    review = services.submit_review(
        assignment, actor=ml_reviewer, answers=FULL_ANSWERS, expected_version=0
    )
    assert review.state == ReviewState.SUBMITTED and review.submitted_at is not None
    first = ReviewRevision.objects.get()
    assert (first.number, first.changed_fields, first.after_response) == (1, [], False)

    changed = {**FULL_ANSWERS, "overall_merit": "5", "weaknesses": "Only one GPU; no CPU."}
    review, revision = services.revise_review(
        assignment, actor=ml_reviewer, answers=changed, expected_version=review.version
    )
    assert (revision.number, revision.changed_fields) == (2, ["overall_merit", "weaknesses"])
    assert revision.answers["overall_merit"] == 5
    review.refresh_from_db()
    assert review.answers["weaknesses"] == "Only one GPU; no CPU."
    event = AuditEvent.objects.get(action="review.revised")
    assert event.changes["overall_merit"] == [4, 5]


def test_revise_without_changes_adds_no_revision(assignment, ml_reviewer):
    review = services.submit_review(
        assignment, actor=ml_reviewer, answers=FULL_ANSWERS, expected_version=0
    )
    _review, revision = services.revise_review(
        assignment, actor=ml_reviewer, answers=FULL_ANSWERS, expected_version=review.version
    )
    assert revision is None and ReviewRevision.objects.count() == 1


def test_revision_after_a_submitted_response_is_marked(assignment, ml_reviewer):
    review = services.submit_review(
        assignment, actor=ml_reviewer, answers=FULL_ANSWERS, expected_version=0
    )
    factories.AuthorResponseFactory(
        submission=assignment.submission, text="Thanks", state="submitted"
    )
    _review, revision = services.revise_review(
        assignment,
        actor=ml_reviewer,
        answers={**FULL_ANSWERS, "confidence": "4"},
        expected_version=review.version,
    )
    assert revision.after_response is True


def test_revision_once_the_response_phase_opened_is_marked(assignment, ml_reviewer, conference):
    review = services.submit_review(
        assignment, actor=ml_reviewer, answers=FULL_ANSWERS, expected_version=0
    )
    conference.deadlines.filter(kind=DeadlineKind.RESPONSE_OPEN).update(
        at=timezone.now() - timedelta(hours=1)
    )
    assignment.conference.refresh_from_db()
    _review, revision = services.revise_review(
        assignment,
        actor=ml_reviewer,
        answers={**FULL_ANSWERS, "confidence": "4"},
        expected_version=review.version,
    )
    assert revision.after_response is True


def test_late_submission_after_the_review_deadline_is_accepted(assignment, ml_reviewer, conference):
    conference.deadlines.filter(kind=DeadlineKind.REVIEW).update(
        at=timezone.now() - timedelta(days=1)
    )
    services.submit_review(assignment, actor=ml_reviewer, answers=FULL_ANSWERS, expected_version=0)
    assert Review.objects.get().state == "submitted"
    assert AuditEvent.objects.get(action="review.submitted").note == "late"


def test_writing_is_refused_once_a_chair_closed_reviewing(assignment, ml_reviewer, conference):
    factories.PhaseSettingFactory(
        conference=conference, phase=Phase.REVIEWING, mode=PhaseMode.CLOSED
    )
    with pytest.raises(ValidationError) as info:
        services.submit_review(
            assignment, actor=ml_reviewer, answers=FULL_ANSWERS, expected_version=0
        )
    assert info.value.code == "closed"
    assert not Review.objects.exists()


def test_writing_is_refused_once_the_papers_decision_is_released(assignment, ml_reviewer):
    # Its track was released alone: no conference-wide release date, the paper's status says it.
    services.save_draft(
        assignment, actor=ml_reviewer, answers={"summary": "Before"}, expected_version=0
    )
    Submission.objects.filter(pk=assignment.submission_id).update(status="accepted")
    with pytest.raises(ValidationError) as info:
        services.save_draft(
            assignment, actor=ml_reviewer, answers={"summary": "After"}, expected_version=1
        )
    assert info.value.code == "closed"
    assert "decision on this paper has been released" in info.value.messages[0]
    assert Review.objects.get().answers["summary"] == "Before"


def test_answers_of_deactivated_fields_survive_a_draft(assignment, ml_reviewer):
    review = services.save_draft(
        assignment, actor=ml_reviewer, answers={"comments_for_chairs": "Kept"}, expected_version=0
    )
    review.form.fields.filter(key="comments_for_chairs").update(active=False)
    review = services.save_draft(
        assignment, actor=ml_reviewer, answers={"summary": "New"}, expected_version=1
    )
    review.refresh_from_db()
    assert review.answers == {"comments_for_chairs": "Kept", "summary": "New"}

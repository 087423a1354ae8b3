"""The lead's meta-review page: who may open it, when the lead may write, chairs' edits."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences.enums import DeadlineKind, Phase, PhaseMode
from mlsys.conferences.models import Deadline
from mlsys.core.models import AuditEvent
from reviews.meta import services
from submissions.models import Submission
from tests import factories
from tests.reviews.response_fixtures import assign, fresh, make_paper, set_phase


@pytest.fixture
def paper(conference, author):
    return make_paper(conference, author)


@pytest.fixture
def meta(paper, ml_reviewer):
    assign(paper, ml_reviewer)
    return factories.MetaReviewFactory(submission=paper, lead=ml_reviewer)


@pytest.fixture
def discussion(conference):
    set_phase(conference, Phase.DISCUSSION)


def url(paper):
    return reverse(
        "reviews:meta_review",
        kwargs={"conference": paper.conference.slug, "number": paper.number},
    )


def test_lead_submits_the_meta_review_once_discussion_started(
    client, paper, meta, discussion, ml_reviewer
):
    client.force_login(ml_reviewer)
    assert client.get(url(paper)).status_code == 200

    response = client.post(
        url(paper),
        {
            "summary": "Solid **systems** work.",
            "recommendation": "accept",
            "confidence": "3",
            "action": "submit",
        },
    )

    assert response.status_code == 302
    meta.refresh_from_db()
    assert (meta.state, meta.summary, meta.recommendation, meta.confidence) == (
        "submitted",
        "Solid **systems** work.",
        "accept",
        3,
    )
    assert meta.submitted_at is not None
    assert AuditEvent.objects.filter(action="reviews.meta_review_submitted").count() == 1


def test_submit_needs_all_three_parts_and_keeps_the_draft(
    client, paper, meta, discussion, ml_reviewer
):
    client.force_login(ml_reviewer)
    client.post(url(paper), {"summary": "Early notes", "action": "save"})

    response = client.post(url(paper), {"summary": "", "recommendation": "", "action": "submit"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Write the summary for the authors." in html
    assert "Choose a recommendation." in html
    assert "Give your confidence." in html
    meta.refresh_from_db()
    assert (meta.state, meta.summary) == ("draft", "Early notes")


def test_confidence_outside_1_to_4_is_refused(paper, meta, discussion, ml_reviewer):
    with pytest.raises(ValidationError) as caught:
        services.write_meta_review(
            meta, actor=ml_reviewer, summary="s", recommendation="accept", confidence=5, submit=True
        )

    assert "confidence" in caught.value.message_dict


def test_lead_cannot_write_before_discussion_starts(client, paper, meta, ml_reviewer):
    client.force_login(ml_reviewer)

    page = client.get(url(paper)).content.decode()
    response = client.post(url(paper), {"summary": "Too early", "action": "save"})

    assert "once discussion has started" in page and "<textarea" not in page
    assert response.status_code == 302
    meta.refresh_from_db()
    assert meta.summary == ""


def test_review_deadline_passed_counts_as_discussion_started(conference, paper, meta, ml_reviewer):
    Deadline.objects.filter(conference=conference, kind=DeadlineKind.REVIEW).update(
        at=timezone.now() - timedelta(hours=1)
    )
    set_phase(conference, Phase.DISCUSSION, PhaseMode.CLOSED)

    services.write_meta_review(
        meta, actor=ml_reviewer, summary="Now", recommendation="", confidence=None, submit=False
    )

    meta.refresh_from_db()
    assert meta.summary == "Now"


def test_lead_cannot_edit_after_decisions_are_released(
    conference, paper, meta, discussion, ml_reviewer
):
    conference.decisions_released_at = timezone.now()
    conference.save(update_fields=["decisions_released_at"])

    with pytest.raises(PermissionDenied):
        services.write_meta_review(
            meta, actor=ml_reviewer, summary="x", recommendation="", confidence=None, submit=False
        )


def test_lead_cannot_edit_once_the_papers_track_is_released(
    conference, paper, meta, discussion, ml_reviewer
):
    # A per-track release stamps no conference-wide date: the paper's status says it.
    Submission.objects.filter(pk=paper.pk).update(status="accepted")

    with pytest.raises(PermissionDenied):
        services.write_meta_review(
            meta, actor=ml_reviewer, summary="x", recommendation="", confidence=None, submit=False
        )


def test_chair_can_edit_any_time(client, paper, meta, chair):
    client.force_login(chair)

    response = client.post(url(paper), {"summary": "Chair's words", "action": "save"})

    assert response.status_code == 302
    meta.refresh_from_db()
    assert meta.summary == "Chair's words"


@pytest.mark.parametrize("who", ["systems_reviewer", "author", "outsider"])
def test_non_leads_get_404(client, paper, meta, discussion, who, request):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url(paper)).status_code == 404
    assert client.post(url(paper), {"summary": "x", "action": "save"}).status_code == 404
    meta.refresh_from_db()
    assert meta.summary == ""


def test_a_lead_who_becomes_conflicted_loses_the_page(client, paper, meta, discussion, ml_reviewer):
    factories.ConflictFactory(submission=paper, user=ml_reviewer, state="confirmed")
    client.force_login(ml_reviewer)

    assert client.get(url(paper)).status_code == 404
    with pytest.raises(PermissionDenied):
        services.write_meta_review(
            meta, actor=ml_reviewer, summary="x", recommendation="", confidence=None, submit=False
        )


def test_a_conflicted_chair_gets_404(client, paper, meta, chair):
    factories.ConflictFactory(submission=paper, user=chair, state="confirmed")
    client.force_login(chair)

    assert client.get(url(paper)).status_code == 404


def test_anonymous_is_sent_to_log_in(client, paper, meta):
    assert client.get(url(paper)).status_code == 302


def test_a_submitted_meta_review_stays_submitted_on_edit(paper, meta, discussion, ml_reviewer):
    services.write_meta_review(
        meta, actor=ml_reviewer, summary="v1", recommendation="accept", confidence=2, submit=True
    )
    with pytest.raises(ValidationError):
        services.write_meta_review(
            meta, actor=ml_reviewer, summary="v2", recommendation="", confidence=2, submit=False
        )
    services.write_meta_review(
        fresh(paper).meta_review,
        actor=ml_reviewer,
        summary="v2",
        recommendation="weak_accept",
        confidence=2,
        submit=True,
    )

    meta.refresh_from_db()
    assert (meta.state, meta.summary, meta.recommendation) == ("submitted", "v2", "weak_accept")
    assert AuditEvent.objects.filter(action="reviews.meta_review_updated").count() == 1

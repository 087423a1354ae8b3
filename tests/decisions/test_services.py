"""Recording, clearing and releasing decisions: pending until released, conflicted chairs
refused, the submission status changed only at release, everything audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from decisions import services
from decisions.models import Decision
from decisions.outcomes import outcomes_of
from mlsys.core.models import AuditEvent
from tests import factories


@pytest.fixture
def outcomes(conference):
    accept_oral, accept_poster, reject = outcomes_of(conference)
    return {"oral": accept_oral, "poster": accept_poster, "reject": reject}


@pytest.fixture
def paper(conference, author):
    return factories.SubmissionFactory(conference=conference, authors=[author])


def test_a_conference_starts_with_three_outcomes(conference):
    labels = [(o.label, o.kind) for o in outcomes_of(conference)]
    assert labels == [
        ("Accept (oral)", "accept"),
        ("Accept (poster)", "accept"),
        ("Reject", "reject"),
    ]
    assert len(outcomes_of(conference)) == 3  # created once


def test_a_decision_is_pending_and_the_paper_stays_submitted(chair, paper, outcomes):
    decision = services.record_decision(submission=paper, outcome=outcomes["oral"], actor=chair)
    paper.refresh_from_db()
    assert decision.status == "pending"
    assert paper.status == "submitted"
    assert AuditEvent.objects.filter(action="decisions.recorded").count() == 1


def test_changing_a_pending_decision_is_audited_with_both_outcomes(chair, paper, outcomes):
    services.record_decision(submission=paper, outcome=outcomes["oral"], actor=chair)
    services.record_decision(
        submission=paper, outcome=outcomes["reject"], actor=chair, reason="Below the bar."
    )
    decision = Decision.objects.get(submission=paper)
    assert decision.outcome == outcomes["reject"]
    assert decision.reason == "Below the bar."
    event = AuditEvent.objects.get(action="decisions.changed")
    assert event.changes == {"outcome": ["Accept (oral)", "Reject"]}


def test_a_conflicted_chair_cannot_decide(conflicted_chair, paper, outcomes):
    factories.ConflictFactory(submission=paper, user=conflicted_chair, state="confirmed")
    with pytest.raises(PermissionDenied, match="conflicted"):
        services.record_decision(submission=paper, outcome=outcomes["oral"], actor=conflicted_chair)
    assert not Decision.objects.exists()


def test_a_pc_member_cannot_decide(ml_reviewer, paper, outcomes):
    with pytest.raises(PermissionDenied):
        services.record_decision(submission=paper, outcome=outcomes["oral"], actor=ml_reviewer)


def test_another_conferences_outcome_is_refused(chair, paper):
    other = factories.OutcomeFactory()
    with pytest.raises(ValidationError):
        services.record_decision(submission=paper, outcome=other, actor=chair)


def test_a_withdrawn_paper_gets_no_decision(chair, conference, outcomes):
    paper = factories.SubmissionFactory(conference=conference, status="withdrawn")
    with pytest.raises(ValidationError, match="withdrawn"):
        services.record_decision(submission=paper, outcome=outcomes["oral"], actor=chair)


def test_release_moves_decisions_and_papers(chair, conference, outcomes):
    accepted = factories.SubmissionFactory(conference=conference)
    rejected = factories.SubmissionFactory(conference=conference)
    undecided = factories.SubmissionFactory(conference=conference)
    services.record_decision(submission=accepted, outcome=outcomes["poster"], actor=chair)
    services.record_decision(submission=rejected, outcome=outcomes["reject"], actor=chair)
    result = services.release_decisions(conference=conference, actor=chair)
    assert {s.pk for s in result.done} == {accepted.pk, rejected.pk}
    for paper, status in ((accepted, "accepted"), (rejected, "rejected"), (undecided, "submitted")):
        paper.refresh_from_db()
        assert paper.status == status
    assert set(Decision.objects.values_list("status", flat=True)) == {"released"}
    conference.refresh_from_db()
    assert conference.decisions_released_at is not None
    assert AuditEvent.objects.filter(action="decisions.released").count() == 2
    assert AuditEvent.objects.filter(action="submissions.status.accepted").count() == 1


def test_release_per_track_leaves_the_other_track_pending(chair, conference, outcomes):
    industry = factories.TrackFactory(conference=conference, name="Industry track")
    research_paper = factories.SubmissionFactory(conference=conference)
    industry_paper = factories.SubmissionFactory(conference=conference, track=industry)
    for paper in (research_paper, industry_paper):
        services.record_decision(submission=paper, outcome=outcomes["oral"], actor=chair)
    services.release_decisions(conference=conference, actor=chair, track=industry)
    assert Decision.objects.get(submission=industry_paper).status == "released"
    assert Decision.objects.get(submission=research_paper).status == "pending"
    conference.refresh_from_db()
    assert conference.decisions_released_at is None


def test_a_paper_withdrawn_after_its_decision_is_skipped_at_release(chair, conference, outcomes):
    paper = factories.SubmissionFactory(conference=conference)
    services.record_decision(submission=paper, outcome=outcomes["oral"], actor=chair)
    type(paper).objects.filter(pk=paper.pk).update(status="withdrawn")
    result = services.release_decisions(conference=conference, actor=chair)
    assert result.done == [] and len(result.skipped) == 1
    paper.refresh_from_db()
    assert paper.status == "withdrawn"
    assert Decision.objects.get(submission=paper).status == "pending"


def test_a_released_decision_is_final(chair, paper, outcomes, conference):
    services.record_decision(submission=paper, outcome=outcomes["oral"], actor=chair)
    services.release_decisions(conference=conference, actor=chair)
    paper.refresh_from_db()
    with pytest.raises(ValidationError):
        services.record_decision(submission=paper, outcome=outcomes["reject"], actor=chair)
    assert services.clear_decision(submission=paper, actor=chair) is False


def test_only_chairs_release(ml_reviewer, conference):
    with pytest.raises(PermissionDenied):
        services.release_decisions(conference=conference, actor=ml_reviewer)


def test_bulk_skips_the_conflicted_and_says_why(conflicted_chair, conference, outcomes):
    mine = factories.SubmissionFactory(conference=conference)
    free = factories.SubmissionFactory(conference=conference)
    factories.ConflictFactory(submission=mine, user=conflicted_chair, state="confirmed")
    result = services.record_decisions(
        submissions=[mine, free], outcome=outcomes["reject"], actor=conflicted_chair
    )
    assert result.done == [free]
    assert result.skipped[0][0] == mine and "conflicted" in result.skipped[0][1]


def test_clearing_a_pending_decision(chair, paper, outcomes):
    services.record_decision(submission=paper, outcome=outcomes["oral"], actor=chair)
    assert services.clear_decision(submission=paper, actor=chair) is True
    assert not Decision.objects.exists()
    assert AuditEvent.objects.filter(action="decisions.cleared").count() == 1


def test_authors_see_the_decision_only_after_release(chair, author, paper, outcomes, conference):
    from mlsys.conferences.viewer import Viewer

    services.record_decision(submission=paper, outcome=outcomes["oral"], actor=chair)
    assert not Viewer(author).has_perm("decisions.view_decision", paper)
    services.release_decisions(conference=conference, actor=chair)
    paper.refresh_from_db()
    assert Viewer(author).has_perm("decisions.view_decision", paper)

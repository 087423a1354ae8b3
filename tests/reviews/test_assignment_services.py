"""Automatic assignment services: solve → proposal → edit → commit → undo → release."""

import itertools
from collections import Counter

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from reviews.assignment import services
from reviews.assignment.suggestions import suggestions
from reviews.assignment.tasks import solve_assignment
from reviews.enums import AssignmentKind, BidValue, PairChange, ProposalStatus
from reviews.models import Affinity, Assignment, ProposedPair
from tests import factories
from tests.reviews.assignment_fixtures import Small, proposed, solved, two_track_conference


def test_solve_gives_every_paper_k_reviewers_with_both_sides(small, chair):
    proposal = solved(small, chair)
    assert proposal.status == ProposalStatus.READY
    assert proposal.progress == 1.0
    ml_ids = {u.pk for u in small.ml}
    pairs = proposed(proposal)
    for paper in small.papers:
        mine = [uid for sid, uid in pairs if sid == paper.pk]
        assert len(mine) == small.track.reviewers_per_paper == 3
        assert any(uid in ml_ids for uid in mine)
        assert any(uid not in ml_ids for uid in mine)
    (joint,) = proposal.report["tracks"]
    assert joint["track"] == "All tracks (one joint solve)"
    assert (joint["k"], joint["m_ml"], joint["m_sys"]) == (3, 1, 1)
    assert joint["gap"] < 1e-6
    assert joint["papers_both_sides_covered"] == 6
    assert joint["violations"] == []
    assert [t["track"] for t in joint["by_track"]] == ["Research"]


def test_conflicts_authors_and_not_willing_bids_are_never_proposed(small, chair):
    paper, second = small.papers[0], small.papers[1]
    # Make the forbidden pairs the most attractive ones.
    Affinity.objects.filter(submission__in=[paper, second]).update(score=5.0)
    Affinity.objects.filter(submission=paper, user=small.ml[2]).update(score=0.0)
    factories.ConflictFactory(submission=paper, user=small.ml[0], state="confirmed")
    factories.AuthorFactory(submission=paper, user=small.ml[1], email="ml1@example.org")
    factories.BidFactory(submission=paper, user=small.systems[0], value=BidValue.NOT_WILLING)
    factories.BidFactory(submission=second, user=small.systems[1], value=BidValue.CONFLICT)
    proposal = solved(small, chair)
    pairs = proposed(proposal)
    assert {uid for sid, uid in pairs if sid == paper.pk} == {
        small.ml[2].pk,
        small.systems[1].pk,
        small.systems[2].pk,
    }
    assert (second.pk, small.systems[1].pk) not in pairs


def test_dismissed_conflict_does_not_forbid(small, chair):
    paper = small.papers[0]
    Affinity.objects.filter(submission=paper, user=small.ml[0]).update(score=50.0)
    factories.ConflictFactory(submission=paper, user=small.ml[0], state="dismissed")
    proposal = solved(small, chair)
    assert (paper.pk, small.ml[0].pk) in proposed(proposal)


def test_resolve_keeps_existing_assignments_and_adds_only_the_missing(small, chair):
    first = small.papers[0]
    kept = [
        factories.AssignmentFactory(submission=first, reviewer=u, released=False)
        for u in (small.ml[0], small.ml[1])
    ]
    proposal = solved(small, chair)
    pairs = list(proposal.pairs.values_list("submission_id", "user_id", "change"))
    assert {(s, u) for s, u, c in pairs if c == PairChange.KEPT} == {
        (first.pk, a.reviewer_id) for a in kept
    }
    assert sum(c == PairChange.NEW for _s, _u, c in pairs) == 6 * 3 - 2
    new_on_first = [u for s, u, c in pairs if s == first.pk and c == PairChange.NEW]
    assert len(new_on_first) == 1 and new_on_first[0] in {u.pk for u in small.systems}


def test_existing_assignment_that_became_conflicted_is_proposed_for_removal(small, chair):
    paper = small.papers[0]
    factories.AssignmentFactory(submission=paper, reviewer=small.ml[0], released=False)
    factories.ConflictFactory(submission=paper, user=small.ml[0], state="pinned")
    proposal = solved(small, chair)
    assert proposal.status == ProposalStatus.READY
    assert proposal.pairs.get(submission=paper, user=small.ml[0]).change == PairChange.REMOVED
    services.commit_proposal(proposal, actor=chair)
    assert not Assignment.objects.filter(submission=paper, reviewer=small.ml[0]).exists()


def test_commit_creates_assignments_without_mail_and_undo_restores_exactly(
    small, chair, django_capture_on_commit_callbacks
):
    kept = factories.AssignmentFactory(
        submission=small.papers[0], reviewer=small.ml[0], released=False
    )
    before = set(Assignment.objects.values_list("pk", "submission_id", "reviewer_id", "kind"))
    proposal = solved(small, chair)
    services.remove_pair(
        proposal, pair=proposal.pairs.get(submission=small.papers[0], user=small.ml[0]), actor=chair
    )
    expected = proposed(proposal)
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.commit_proposal(proposal, actor=chair)
    # One kept pair removed by hand: the paper then needs 3 new reviewers, the others 3 each.
    assert counts == {"added": 6 * 3 - 1, "removed": 1, "kept": 0}
    assert set(Assignment.objects.values_list("submission_id", "reviewer_id")) == expected
    assert not Assignment.objects.filter(pk=kept.pk).exists()
    assert (
        Assignment.objects.filter(kind=AssignmentKind.AUTOMATIC, proposal=proposal).count()
        == (counts["added"])
    )
    assert not Assignment.objects.filter(released=True).exists()
    assert mail.outbox == []
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.COMMITTED

    services.undo_commit(proposal, actor=chair)
    assert (
        set(Assignment.objects.values_list("pk", "submission_id", "reviewer_id", "kind")) == before
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.UNDONE
    with pytest.raises(ValidationError):
        services.undo_commit(proposal, actor=chair)


def test_only_the_latest_commit_can_be_undone(small, chair):
    first = solved(small, chair, track=small.track)
    services.commit_proposal(first, actor=chair)
    second = solved(small, chair, track=small.track)
    assert not proposed(second) - set(
        Assignment.objects.values_list("submission_id", "reviewer_id")
    )
    services.commit_proposal(second, actor=chair)
    with pytest.raises(ValidationError, match="latest"):
        services.undo_commit(first, actor=chair)


def test_release_sends_one_email_per_reviewer_and_later_commits_notify(
    small, chair, django_capture_on_commit_callbacks
):
    proposal = solved(small, chair)
    with django_capture_on_commit_callbacks(execute=True):
        services.commit_proposal(proposal, actor=chair)
    assert mail.outbox == []
    reviewers = set(Assignment.objects.values_list("reviewer__email", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.release_assignments(small.conference, actor=chair) == len(reviewers)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(reviewers)
    assert all(m.subject.endswith("Your papers to review") for m in mail.outbox)
    one = Assignment.objects.filter(reviewer=small.ml[0]).select_related("submission").first()
    assert f"#{one.submission.number} {one.submission.title}" in next(
        m.body for m in mail.outbox if m.to == [small.ml[0].email]
    )
    assert not Assignment.objects.filter(released=False).exists()

    mail.outbox.clear()
    extra = factories.SubmissionFactory(conference=small.conference, track=small.track, number=99)
    again = solved(small, chair)
    with django_capture_on_commit_callbacks(execute=True):
        services.commit_proposal(again, actor=chair)
    notified = {m.to[0] for m in mail.outbox}
    assert notified == set(
        Assignment.objects.filter(submission=extra).values_list("reviewer__email", flat=True)
    )
    assert len(mail.outbox) == 3
    assert Assignment.objects.filter(submission=extra, released=True).count() == 3


def test_suggestions_exclude_conflicted_overloaded_and_already_assigned(small, chair):
    paper = small.papers[0]
    factories.ConflictFactory(submission=paper, user=small.ml[0], state="suggested")
    member = small.conference.memberships.get(user=small.systems[0])
    member.max_load = 1
    member.save()
    factories.AssignmentFactory(
        submission=small.papers[1], reviewer=small.systems[0], released=False
    )
    factories.AssignmentFactory(submission=paper, reviewer=small.ml[1], released=False)
    rows = suggestions(small.conference, paper)
    assert {s.user_id for s in rows} == {small.ml[2].pk, small.systems[1].pk, small.systems[2].pk}
    assert [s.quality for s in rows] == sorted((s.quality for s in rows), reverse=True)
    assert {s.side for s in rows} == {"ML", "SYSTEMS"}


def test_proposal_edits_refuse_conflicted_and_overloaded(small, chair):
    proposal = solved(small, chair)
    paper = small.papers[0]
    factories.ConflictFactory(submission=paper, user=small.ml[2], state="confirmed")
    with pytest.raises(ValidationError, match="conflict"):
        services.add_pair(proposal, submission=paper, user_id=small.ml[2].pk, actor=chair)
    pair = proposal.pairs.filter(submission=paper).first()
    services.remove_pair(proposal, pair=pair, actor=chair)
    member = small.conference.memberships.get(user=pair.user)
    load = len([1 for _s, u in proposed(proposal) if u == pair.user_id])
    member.max_load = load
    member.save()
    before = proposed(proposal)
    other = proposal.pairs.exclude(submission=paper).exclude(user=pair.user).first()
    with pytest.raises(ValidationError, match="max load"):
        services.swap_pair(proposal, pair=other, user_id=pair.user_id, actor=chair)
    assert proposed(proposal) == before


def test_swap_replaces_the_reviewer_on_the_same_paper(small, chair):
    proposal = solved(small, chair)
    paper = small.papers[0]
    pair = proposal.pairs.filter(submission=paper, user__in=small.ml).first()
    replacement = next(u for u in small.ml if (paper.pk, u.pk) not in proposed(proposal))
    services.swap_pair(proposal, pair=pair, user_id=replacement.pk, actor=chair)
    on_paper = {u for s, u in proposed(proposal) if s == paper.pk}
    assert replacement.pk in on_paper and pair.user_id not in on_paper


def test_manual_add_of_conflicted_reviewer_is_refused(small, chair):
    paper = small.papers[0]
    factories.ConflictFactory(submission=paper, user=small.ml[0], state="confirmed")
    with pytest.raises(ValidationError, match="conflicted"):
        services.add_assignment(
            small.conference, submission=paper, reviewer_id=small.ml[0].pk, actor=chair
        )
    assert not Assignment.objects.exists()


def test_manual_add_over_max_load_warns_and_is_kept(
    small, chair, django_capture_on_commit_callbacks
):
    member = small.conference.memberships.get(user=small.ml[0])
    member.max_load = 0
    member.save()
    with django_capture_on_commit_callbacks(execute=True):
        assignment, warnings = services.add_assignment(
            small.conference, submission=small.papers[0], reviewer_id=small.ml[0].pk, actor=chair
        )
    assert assignment.kind == AssignmentKind.MANUAL and not assignment.released
    assert len(warnings) == 1 and "max load of 0" in warnings[0]
    assert mail.outbox == []


def test_manual_remove_of_released_assignment_notifies_the_reviewer(
    small, chair, django_capture_on_commit_callbacks
):
    assignment, _ = services.add_assignment(
        small.conference, submission=small.papers[0], reviewer_id=small.ml[0].pk, actor=chair
    )
    services.release_assignments(small.conference, actor=chair)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_assignment(assignment, actor=chair)
    assert [m.to for m in mail.outbox] == [[small.ml[0].email]]
    assert not Assignment.objects.exists()


def test_infeasible_problem_is_explained(small, chair):
    small.conference.memberships.filter(user__in=small.systems).update(max_load=1)
    proposal = solved(small, chair)
    assert proposal.status == ProposalStatus.INFEASIBLE
    assert "Systems" in proposal.message
    assert "Traceback" not in proposal.message
    assert ProposedPair.objects.filter(proposal=proposal).count() == 0
    with pytest.raises(ValidationError):
        services.commit_proposal(proposal, actor=chair)


def brute_force_best(papers, small: Small) -> float:
    """Best total affinity over every assignment meeting each paper's own track rule, the max
    load 2 and Ml Reviewer 2's min load 2 (no bids or topic interests: quality = affinity)."""
    score = {
        (a.submission_id, a.user_id): a.score
        for a in Affinity.objects.filter(submission__in=papers)
    }
    ml_ids = {u.pk for u in small.ml}
    options = []
    for paper in papers:
        track = paper.track
        groups = []
        for group in itertools.combinations(
            [u.pk for u in small.reviewers], track.reviewers_per_paper
        ):
            n_ml = sum(uid in ml_ids for uid in group)
            if n_ml >= track.min_ml_reviewers and len(group) - n_ml >= track.min_systems_reviewers:
                groups.append((sum(score[(paper.pk, uid)] for uid in group), group))
        options.append(groups)
    best = -1.0
    for choice in itertools.product(*options):
        loads = Counter(uid for _value, group in choice for uid in group)
        if max(loads.values()) <= 2 and loads[small.ml[2].pk] >= 2:
            best = max(best, sum(value for value, _group in choice))
    return best


def test_two_track_conference_is_solved_jointly_and_optimally(small, chair):
    industry, papers = two_track_conference(small)
    proposal = solved(small, chair)
    assert proposal.status == ProposalStatus.READY
    pairs = proposed(proposal)
    ml_ids = {u.pk for u in small.ml}
    for paper in papers:
        mine = [uid for sid, uid in pairs if sid == paper.pk]
        rule = paper.track
        assert len(mine) == rule.reviewers_per_paper
        assert sum(uid in ml_ids for uid in mine) >= rule.min_ml_reviewers
        assert sum(uid not in ml_ids for uid in mine) >= rule.min_systems_reviewers
    loads = Counter(uid for _sid, uid in pairs)
    assert max(loads.values()) <= 2
    assert loads[small.ml[2].pk] == 2
    (report,) = proposal.report["tracks"]
    assert report["track"] == (
        "All tracks (one joint solve): Research — 2 papers, 3 reviewers each, ≥1 ML, "
        "≥1 Systems; Industry — 2 papers, 2 reviewers each, ≥0 ML, ≥2 Systems"
    )
    assert report["k"] is None and report["papers"] == 4
    assert report["paper_requirements"] == {"k=2,ML>=0,SYSTEMS>=2": 2, "k=3,ML>=1,SYSTEMS>=1": 2}
    assert report["papers_both_sides_covered"] == 4 and report["violations"] == []
    best = brute_force_best(papers, small)
    assert report["objective"] == pytest.approx(best, abs=1e-9)
    assert report["gap"] < 1e-9
    by_track = {t["track"]: t for t in report["by_track"]}
    assert (by_track["Industry"]["k"], by_track["Industry"]["m_sys"]) == (2, 2)
    assert by_track["Industry"]["papers_both_sides_covered"] == 2
    assert by_track["Research"]["objective"] + by_track["Industry"]["objective"] == (
        pytest.approx(best, abs=1e-9)
    )
    # The MIP path (an expertise threshold every eligible pair meets) proves the same optimum.
    mip = solved(small, chair, expertise_threshold=0.0)
    assert mip.report["tracks"][0]["method"].startswith("HiGHS MIP")
    assert mip.report["tracks"][0]["objective"] == pytest.approx(best, abs=1e-9)


def test_single_track_solve_counts_other_tracks_load_and_ignores_min_loads(small, chair):
    industry, papers = two_track_conference(small)
    busy = small.systems[0]
    factories.AssignmentFactory(submission=papers[0], reviewer=busy, released=False)
    factories.AssignmentFactory(submission=papers[1], reviewer=busy, released=False)
    proposal = solved(small, chair, track=industry)
    assert proposal.status == ProposalStatus.READY
    pairs = proposed(proposal)
    assert {sid for sid, _uid in pairs} == {papers[2].pk, papers[3].pk}
    assert busy.pk not in {uid for _sid, uid in pairs}  # max load 2 used by Research
    assert small.ml[2].pk not in {uid for _sid, uid in pairs}  # min load not enforced here
    assert proposal.report["tracks"][0]["track"] == "Industry"
    assert proposal.report["tracks"][0]["k"] == 2


def test_whole_conference_infeasibility_names_the_paper_and_its_track_rule(small, chair):
    industry, papers = two_track_conference(small)
    factories.ConflictFactory(submission=papers[3], user=small.systems[0], state="confirmed")
    factories.ConflictFactory(submission=papers[3], user=small.systems[1], state="confirmed")
    proposal = solved(small, chair)
    assert proposal.status == ProposalStatus.INFEASIBLE
    assert proposal.message.startswith("All tracks: ")
    (report,) = proposal.report["tracks"]
    assert report["reasons"] == [
        "paper #51 (Industry): only 1 non-conflicted Systems (or ML+Systems) reviewer has "
        "capacity, 2 needed (its rule: 2 reviewers, at least 0 ML and 2 Systems)"
    ]
    assert ProposedPair.objects.filter(proposal=proposal).count() == 0


def test_task_marks_unexpected_errors_as_failed(small, chair, monkeypatch):
    proposal = factories.AssignmentProposalFactory(conference=small.conference, created_by=chair)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("reviews.assignment.solving.solve", boom)
    assert solve_assignment(proposal_id=proposal.pk) == ProposalStatus.FAILED
    proposal.refresh_from_db()
    assert proposal.message == "The solver stopped with an error: RuntimeError: disk full"


def test_task_for_a_missing_proposal_returns_quietly(db):
    assert solve_assignment(proposal_id=987654) is None

"""Issue 8: no assignment change deletes a reviewer's work; the proposal status has one choke
point (a discard during a solve sticks)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db.models import RestrictedError
from django.urls import reverse

from mlsys.core.models import AuditEvent
from reviews.assignment import services
from reviews.assignment import solving as solving_module
from reviews.assignment.services import RETIRE, STAY, ConfirmationNeeded
from reviews.assignment.solving import run_solve
from reviews.assignment.status import allowed_from, transition
from reviews.enums import PairChange, ProposalStatus, ReviewState
from reviews.models import (
    Assignment,
    AssignmentProposal,
    Comment,
    ProposedPair,
    Review,
    ReviewRating,
    ReviewRevision,
)
from reviews.progress.queries import progress
from tests import factories
from tests.factories import PASSWORD
from tests.reviews.assignment_fixtures import page, released_assignment, solved, write_review


def test_a_review_is_protected_from_any_assignment_delete(small, chair):
    assignment = released_assignment(small, chair)
    review = write_review(assignment)
    with pytest.raises(RestrictedError):
        assignment.delete()
    with pytest.raises(RestrictedError):
        Assignment.objects.filter(pk=assignment.pk).delete()
    assert Review.objects.filter(pk=review.pk).exists()


def test_removing_a_reviewer_with_a_submitted_review_needs_confirmation_and_keeps_it(
    small, chair, client, django_capture_on_commit_callbacks
):
    assignment = released_assignment(small, chair)
    review = write_review(assignment, revisions=2)
    factories.ReviewRatingFactory(review=review, rater=small.ml[1], helpfulness=2)
    factories.CommentFactory(submission=assignment.submission, author=small.ml[0], body="Hm.")

    with pytest.raises(ConfirmationNeeded) as refused:
        services.remove_assignment(assignment, actor=chair)
    assert refused.value.work == {
        assignment.pk: [
            "a submitted review (2 revisions, 1 rating)",
            "1 comment in the discussion",
        ]
    }
    assignment.refresh_from_db()
    assert assignment.removed_at is None
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert services.remove_assignment(assignment, actor=chair, confirm=True) == "removed"
    assignment.refresh_from_db()
    assert assignment.removed_at is not None and assignment.removed_by == chair
    assert not assignment.keep_review
    assert Review.objects.filter(pk=review.pk, state=ReviewState.SUBMITTED).exists()
    assert ReviewRevision.objects.filter(review=review).count() == 2
    assert ReviewRating.objects.filter(review=review).count() == 1
    assert Comment.objects.filter(author=small.ml[0]).count() == 1
    assert [m.to for m in mail.outbox] == [[small.ml[0].email]]
    assert f"removed you as a reviewer of #{assignment.submission.number} " in " ".join(
        mail.outbox[0].body.split()
    )
    assert "Your review and your comments on it are kept" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="assignment.retired", object_id=str(assignment.pk))
    # Out of every live list: progress, the reviewer's pages.
    assert progress(small.conference).papers[0].assigned == 0
    assert client.login(email=small.ml[0].email, password=PASSWORD)
    paper = small.papers[0]
    kwargs = {"conference": small.conference.slug, "number": paper.number}
    assert client.get(reverse("reviews:review", kwargs=kwargs)).status_code == 404
    assert not small.ml[0].has_perm("reviews.view_paper_reviews", paper)
    assert not small.ml[0].has_perm("reviews.write_review", paper)


def test_removing_a_reviewer_without_work_deletes_the_assignment(
    small, chair, django_capture_on_commit_callbacks
):
    assignment = released_assignment(small, chair)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remove_assignment(assignment, actor=chair) == "deleted"
    assert not Assignment.objects.exists()
    assert mail.outbox[0].subject.endswith("Your review assignments changed")


def test_a_removed_reviewer_is_restored_and_their_review_can_be_kept_in_the_scores(
    small, chair, django_capture_on_commit_callbacks
):
    assignment = released_assignment(small, chair)
    write_review(assignment)
    services.remove_assignment(assignment, actor=chair, confirm=True)
    with pytest.raises(ValidationError, match="restore them instead"):
        services.add_assignment(
            small.conference, submission=small.papers[0], reviewer_id=small.ml[0].pk, actor=chair
        )
    services.set_keep_review(assignment, keep=True, actor=chair)
    assignment.refresh_from_db()
    assert assignment.keep_review
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.restore_assignment(assignment, actor=chair)
    assignment.refresh_from_db()
    assert (assignment.removed_at, assignment.removed_by, assignment.keep_review) == (
        None,
        None,
        False,
    )
    assert small.ml[0].has_perm("reviews.write_review", small.papers[0])
    assert [m.to for m in mail.outbox] == [[small.ml[0].email]]
    paper = small.papers[0]
    body = " ".join(mail.outbox[0].body.split())
    assert (
        f"You are back on #{paper.number} {paper.title} as a reviewer; your review is as you "
        "left it." in body
    )
    assert "Papers were added to or removed from your list." not in body
    with pytest.raises(ValidationError, match="nothing to restore"):
        services.restore_assignment(assignment, actor=chair)
    with pytest.raises(ValidationError, match="Only a removed"):
        services.set_keep_review(assignment, keep=True, actor=chair)


def test_a_reviewer_conflicted_since_is_not_restored(small, chair):
    assignment = released_assignment(small, chair)
    write_review(assignment)
    services.remove_assignment(assignment, actor=chair, confirm=True)
    factories.ConflictFactory(submission=small.papers[0], user=small.ml[0], state="confirmed")
    small.ml[0].__dict__.pop("_conflicted_ids", None)
    with pytest.raises(ValidationError, match="conflicted"):
        services.restore_assignment(Assignment.objects.get(pk=assignment.pk), actor=chair)


def committed_and_released(small, chair) -> AssignmentProposal:
    proposal = solved(small, chair)
    services.commit_proposal(proposal, actor=chair)
    services.release_assignments(small.conference, actor=chair)
    mail.outbox.clear()
    proposal.refresh_from_db()
    return proposal


def test_undo_after_release_is_refused_until_each_kept_review_has_a_fate(
    small, chair, django_capture_on_commit_callbacks
):
    proposal = committed_and_released(small, chair)
    added = list(Assignment.objects.filter(proposal=proposal).order_by("pk"))
    with_review, with_draft = added[0], added[1]
    review = write_review(with_review)
    draft = write_review(with_draft, submitted=False, revisions=0)

    preview = services.undo_preview(proposal)
    assert [a.pk for a, _work in preview["keep"]] == sorted(
        [with_review.pk, with_draft.pk],
        key=lambda pk: next((a.submission.number, a.reviewer.name) for a in added if a.pk == pk),
    )
    assert len(preview["delete"]) == len(added) - 2 and preview["released"]

    with pytest.raises(ConfirmationNeeded) as refused:
        services.undo_commit(proposal, actor=chair)
    assert set(refused.value.work) == {with_review.pk, with_draft.pk}
    assert Assignment.objects.count() == len(added)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.COMMITTED
    with pytest.raises(ConfirmationNeeded):
        services.undo_commit(proposal, actor=chair, fates={with_review.pk: RETIRE})

    with django_capture_on_commit_callbacks(execute=True):
        counts = services.undo_commit(
            proposal, actor=chair, fates={with_review.pk: RETIRE, with_draft.pk: STAY}
        )
    assert counts == {"deleted": len(added) - 2, "restored": 0, "kept": 1, "retired": 1}
    assert set(Assignment.objects.values_list("pk", flat=True)) == {
        with_review.pk,
        with_draft.pk,
    }
    assert Assignment.objects.get(pk=with_review.pk).removed_at is not None
    assert Assignment.objects.get(pk=with_draft.pk).removed_at is None
    assert Review.objects.filter(pk__in=[review.pk, draft.pk]).count() == 2
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.UNDONE
    # Every released reviewer of the commit heard once; the removed one that the review is kept.
    kept_mail = [m for m in mail.outbox if m.to == [with_review.reviewer.email]]
    assert len(kept_mail) == 1
    assert "removed you as a reviewer" in " ".join(kept_mail[0].body.split())
    assert len(mail.outbox) == len({a.reviewer_id for a in added})


def test_undo_before_release_deletes_only_pairs_without_work(small, chair):
    proposal = solved(small, chair)
    services.commit_proposal(proposal, actor=chair)
    added = list(Assignment.objects.filter(proposal=proposal).order_by("pk"))
    factories.CommentFactory(submission=added[0].submission, author=added[0].reviewer, body="Hi")
    counts = services.undo_commit(proposal, actor=chair)
    assert counts["kept"] == 1 and counts["deleted"] == len(added) - 1
    assert list(Assignment.objects.values_list("pk", flat=True)) == [added[0].pk]


def test_a_commit_removing_a_reviewer_with_work_retires_and_undo_restores(
    small, chair, django_capture_on_commit_callbacks
):
    first = committed_and_released(small, chair)
    target = Assignment.objects.filter(proposal=first).first()
    review = write_review(target)
    proposal = solved(small, chair)
    pair = proposal.pairs.get(submission=target.submission, user=target.reviewer)
    services.remove_pair(proposal, pair=pair, actor=chair)
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.commit_proposal(proposal, actor=chair)
    assert counts["kept"] == 1
    target.refresh_from_db()
    assert target.removed_at is not None
    assert Review.objects.filter(pk=review.pk).exists()
    assert any("Your review and your comments" in m.body for m in mail.outbox)
    proposal.refresh_from_db()
    assert proposal.report["commit"]["retired"] == [target.pk]
    commit = proposal.report["commit"]
    other_changes = target.reviewer_id in set(
        Assignment.objects.filter(pk__in=commit["added"]).values_list("reviewer_id", flat=True)
    ) | {row["reviewer_id"] for row in commit.get("removed", [])}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.undo_commit(proposal, actor=chair)
    target.refresh_from_db()
    assert target.removed_at is None
    [told] = [m for m in mail.outbox if m.to == [target.reviewer.email]]
    body = " ".join(told.body.split())
    assert (
        f"You are back on #{target.submission.number} {target.submission.title} as a reviewer; "
        "your review is as you left it." in body
    )
    assert ("Other papers were added to or removed from your list." in body) == other_changes


def test_a_proposal_discarded_while_its_solve_runs_stays_discarded(small, chair, monkeypatch):
    proposal = factories.AssignmentProposalFactory(
        conference=small.conference, created_by=chair, params={"w_affinity": 1}
    )
    real_solve = solving_module.solve

    def discard_then_solve(*args, **kwargs):
        # The chair clicks "Discard" on the proposal page while the solver works.
        services.discard_proposal(AssignmentProposal.objects.get(pk=proposal.pk), actor=chair)
        return real_solve(*args, **kwargs)

    monkeypatch.setattr(solving_module, "solve", discard_then_solve)
    run_solve(proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DISCARDED
    assert not ProposedPair.objects.filter(proposal=proposal).exists()
    with pytest.raises(ValidationError, match="discarded"):
        services.commit_proposal(proposal, actor=chair)
    assert not Assignment.objects.exists()
    assert AuditEvent.objects.filter(
        action="assignment.proposal_status",
        object_id=str(proposal.pk),
        changes={"status": [ProposalStatus.RUNNING, ProposalStatus.DISCARDED]},
    ).exists()


def test_status_transitions_follow_the_table(small, chair):
    proposal = solved(small, chair)
    assert allowed_from(ProposalStatus.READY) == {ProposalStatus.RUNNING}
    assert not transition(proposal, ProposalStatus.RUNNING)
    assert transition(proposal, ProposalStatus.DISCARDED, actor=chair)
    for status in ProposalStatus.values:
        assert not transition(proposal, status)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DISCARDED
    with pytest.raises(ValidationError, match="already discarded"):
        services.discard_proposal(proposal, actor=chair)
    assert PairChange.NEW in proposal.pairs.values_list("change", flat=True)


# --- Pages -----------------------------------------------------------------------------------


def test_assign_by_hand_shows_the_review_and_asks_before_removing_its_reviewer(
    small, chair, client, django_capture_on_commit_callbacks
):
    assignment = released_assignment(small, chair)
    review = write_review(assignment)
    paper = small.papers[0]
    client.force_login(chair)
    manual = page("assignment_paper", small, number=paper.number)
    assert "submitted review" in client.get(manual).content.decode()

    remove = page("assignment_remove", small, number=paper.number, pk=assignment.pk)
    response = client.post(remove)
    assert response.status_code == 200
    body = response.content.decode()
    assert "This reviewer has already worked on the paper" in body
    assert "a submitted review (1 revision, 0 ratings)" in body
    assert 'name="confirm" value="yes"' in body
    assignment.refresh_from_db()
    assert assignment.removed_at is None and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove, {"confirm": "yes"}, follow=True)
    body = response.content.decode()
    assert "their review is kept" in body
    assert "Removed reviewers (work kept)" in body
    assignment.refresh_from_db()
    assert assignment.removed_at is not None
    assert Review.objects.filter(pk=review.pk).exists()
    assert len(mail.outbox) == 1

    keep = page("assignment_keep_review", small, number=paper.number, pk=assignment.pk)
    body = client.post(keep, follow=True).content.decode()
    assert "counts in the scores" in body
    assert Assignment.objects.get(pk=assignment.pk).keep_review

    restore = page("assignment_restore", small, number=paper.number, pk=assignment.pk)
    body = client.post(restore, follow=True).content.decode()
    assert "is a reviewer of #" in body
    assert Assignment.objects.get(pk=assignment.pk).removed_at is None


def test_undo_page_lists_kept_pairs_and_asks_their_fate(small, chair, client):
    proposal = committed_and_released(small, chair)
    target = Assignment.objects.filter(proposal=proposal).select_related("reviewer").first()
    write_review(target)
    client.force_login(chair)
    body = client.get(page("proposal", small, pk=proposal.pk)).content.decode()
    assert "Undo this commit…" in body
    assert "Release " not in body  # everything is released: no release button
    undo = page("proposal_undo", small, pk=proposal.pk)
    body = client.get(undo).content.decode()
    total = Assignment.objects.filter(proposal=proposal).count()
    assert f"Deleted: {total - 1} assignments without any work" in body
    assert "Kept: 1 assignment with reviewers" in body
    assert target.reviewer.name in body and "a submitted review" in body
    assert f'name="fate_{target.pk}"' in body
    # Without a fate: refused, nothing deleted.
    response = client.post(undo)
    assert response.status_code == 200
    assert Assignment.objects.filter(proposal=proposal).count() == total
    response = client.post(undo, {f"fate_{target.pk}": "retire"}, follow=True)
    assert "1 removed with the review kept" in response.content.decode()
    assert list(Assignment.objects.values_list("pk", flat=True)) == [target.pk]
    assert Assignment.objects.get(pk=target.pk).removed_at is not None


def test_release_button_only_when_something_is_unreleased(small, chair, client):
    proposal = solved(small, chair)
    services.commit_proposal(proposal, actor=chair)
    client.force_login(chair)
    home = page("assignment", small)
    count = Assignment.objects.count()
    assert f"Release {count} assignments and email" in client.get(home).content.decode()
    assert f"Release {count} assignments</button>" in (
        client.get(page("proposal", small, pk=proposal.pk)).content.decode()
    )
    services.release_assignments(small.conference, actor=chair)
    assert "Release " not in client.get(home).content.decode()
    assert "Release " not in client.get(page("proposal", small, pk=proposal.pk)).content.decode()
    mail.outbox.clear()
    body = client.post(page("assignment_release", small), follow=True).content.decode()
    assert "already released; nobody was emailed" in body
    assert mail.outbox == []


def test_a_removed_reviewers_review_is_shown_to_chairs_only_and_kept_out_of_the_scores(
    small, chair, client
):
    from reviews.discussion import page as paper_page

    small.conference.other_reviews_visibility = "always"
    small.conference.save(update_fields=["other_reviews_visibility"])
    paper = small.papers[0]
    removed = released_assignment(small, chair, reviewer=small.ml[0])
    staying = released_assignment(small, chair, reviewer=small.systems[0])
    write_review(removed)
    write_review(staying)
    services.remove_assignment(removed, actor=chair, confirm=True)

    chair_page = paper_page.build(chair, paper)
    flags = {c.review.reviewer_id: (c.removed, c.counted) for c in chair_page.cards}
    assert flags == {small.ml[0].pk: (True, False), small.systems[0].pk: (False, True)}
    merit = next(r for r in chair_page.scores if r.field.key == "overall_merit")
    assert [card.review.reviewer_id for card, _v in merit.values] == [small.systems[0].pk]
    client.force_login(chair)
    url = reverse(
        "reviews:paper", kwargs={"conference": small.conference.slug, "number": paper.number}
    )
    assert "Removed reviewer, not in the scores" in client.get(url).content.decode()

    other = paper_page.build(small.systems[0], paper)
    assert [c.review.reviewer_id for c in other.cards] == [small.systems[0].pk]

    services.set_keep_review(removed, keep=True, actor=chair)
    chair_page = paper_page.build(chair, paper)
    merit = next(r for r in chair_page.scores if r.field.key == "overall_merit")
    assert len(merit.values) == 2
    assert "Removed reviewer, kept in the scores" in client.get(url).content.decode()


def test_deleting_the_paper_or_the_account_still_cascades_through_protect(small, chair):
    """RESTRICT stops assignment deletes only: a paper or an account deleted as a whole still
    takes its reviews with it (demo reset, account deletion)."""
    first = released_assignment(small, chair)
    write_review(first)
    small.papers[0].delete()
    assert not Review.objects.exists() and not Assignment.objects.exists()
    second, _ = services.add_assignment(
        small.conference, submission=small.papers[1], reviewer_id=small.ml[1].pk, actor=chair
    )
    write_review(Assignment.objects.get(pk=second.pk))
    small.ml[1].delete()
    assert not Review.objects.exists() and not Assignment.objects.exists()


def test_the_proposal_page_names_removed_pairs_with_work_before_commit(small, chair, client):
    first = committed_and_released(small, chair)
    target = Assignment.objects.filter(proposal=first).select_related("reviewer").first()
    write_review(target)
    proposal = solved(small, chair)
    pair = proposal.pairs.get(submission=target.submission, user=target.reviewer)
    services.remove_pair(proposal, pair=pair, actor=chair)
    client.force_login(chair)
    body = client.get(page("proposal", small, pk=proposal.pk)).content.decode()
    assert "Committing removes 1 reviewer who already worked on their paper" in body
    assert f"{target.reviewer.name} — a submitted review (1 revision, 0 ratings)" in body
    response = client.post(page("proposal_commit", small, pk=proposal.pk), follow=True)
    assert "(1 of them kept as removed reviewers: they had work)" in response.content.decode()
    assert Assignment.objects.get(pk=target.pk).removed_at is not None


def test_authors_read_a_removed_reviewers_review_only_when_a_chair_kept_it(small, chair):
    from reviews.response.queries import author_reviews

    paper = small.papers[0]
    removed = released_assignment(small, chair, reviewer=small.ml[0])
    staying = released_assignment(small, chair, reviewer=small.systems[0])
    kept_review, other = write_review(removed), write_review(staying)
    services.remove_assignment(removed, actor=chair, confirm=True)
    assert [r.review_id for r in author_reviews(paper)] == [other.pk]
    services.set_keep_review(removed, keep=True, actor=chair)
    assert [r.review_id for r in author_reviews(paper)] == sorted([kept_review.pk, other.pk])


def test_undo_page_offers_one_choice_for_every_kept_pair(small, chair, client):
    proposal = committed_and_released(small, chair)
    added = list(Assignment.objects.filter(proposal=proposal).order_by("pk"))
    first, second, third = added[0], added[1], added[2]
    for a in (first, second, third):
        write_review(a)
    total = len(added)
    client.force_login(chair)
    undo = page("proposal_undo", small, pk=proposal.pk)

    body = client.get(undo).content.decode()
    assert "For every kept pair" in body
    assert 'name="fate_all" value="stay"' in body and 'name="fate_all" value="retire"' in body
    assert 'name="fate_all" value="" checked' in body
    assert "Applies to each of the 3 pairs below" in body

    # Neither a choice per pair nor one for all: still refused, nothing changed.
    response = client.post(undo, {"fate_all": ""})
    assert response.status_code == 200
    assert "3 assignments of this commit carry reviewers" in response.content.decode()
    assert Assignment.objects.filter(proposal=proposal).count() == total
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.COMMITTED

    # "Remove all" for every pair without its own choice; a row's own choice wins.
    response = client.post(undo, {"fate_all": "retire", f"fate_{second.pk}": "stay"}, follow=True)
    assert "1 kept with their reviewer, 2 removed with the review kept" in (
        response.content.decode()
    )
    rows = dict(Assignment.objects.values_list("pk", "removed_at"))
    assert set(rows) == {first.pk, second.pk, third.pk}
    assert rows[first.pk] is not None and rows[third.pk] is not None
    assert rows[second.pk] is None
    assert Review.objects.filter(assignment__in=[first, second, third]).count() == 3
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.UNDONE
    event = AuditEvent.objects.get(action="assignment.undone")
    assert event.changes["default_fate"] == "retire" and event.changes["retired"] == 2


def test_undo_keep_all_keeps_every_kept_pair_on_its_paper(small, chair):
    proposal = committed_and_released(small, chair)
    added = list(Assignment.objects.filter(proposal=proposal).order_by("pk"))
    for a in added[:2]:
        write_review(a)

    counts = services.undo_commit(proposal, actor=chair, default_fate=STAY)

    assert counts == {"deleted": len(added) - 2, "restored": 0, "kept": 2, "retired": 0}
    assert list(Assignment.objects.order_by("pk").values_list("pk", "removed_at")) == [
        (added[0].pk, None),
        (added[1].pk, None),
    ]


def test_undo_refuses_an_unknown_choice_for_all(small, chair):
    proposal = committed_and_released(small, chair)
    write_review(Assignment.objects.filter(proposal=proposal).first())

    with pytest.raises(ConfirmationNeeded):
        services.undo_commit(proposal, actor=chair, default_fate="delete")

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.COMMITTED

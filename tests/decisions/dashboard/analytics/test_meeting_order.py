"""The PC meeting's discussion order and who must leave the room for a paper."""

import random

import pytest

from decisions.dashboard import meeting
from mlsys.conferences import enums
from tests import factories


def test_naive_order_is_nearest_the_cutoff_first():
    scores = {1: 3.0, 2: 4.1, 3: 3.9, 4: 5.0, 5: 4.0}
    assert meeting.naive_order(scores, 4.0) == [5, 2, 3, 4, 1]  # ties: higher score first


def test_papers_with_the_same_leaving_set_are_grouped():
    scores = {1: 4.0, 2: 4.1, 3: 3.8, 4: 4.3}
    a, b = frozenset({10}), frozenset({20})
    sets = {1: a, 2: b, 3: a, 4: b}
    naive = meeting.naive_order(scores, 4.0)
    order = meeting.discussion_order(scores, 4.0, sets)
    assert naive == [1, 2, 3, 4]
    assert order == [1, 3, 2, 4]  # nearest first, then its companions, then the next group
    assert meeting.room_changes(naive, sets) == 3
    assert meeting.room_changes(order, sets) == 1


@pytest.mark.parametrize("seed", range(40))
def test_never_more_room_changes_than_the_naive_order(seed):
    """The guarantee documented in decisions.dashboard.meeting: the order is a permutation of
    the window's papers with exactly (distinct leaving sets − 1) room changes, the fewest
    possible, hence never more than the naive order."""
    rng = random.Random(seed)
    people = list(range(rng.randint(1, 6)))
    scores = {pk: rng.uniform(2, 5) for pk in range(rng.randint(1, 60))}
    sets = {pk: frozenset(rng.sample(people, rng.randint(0, min(2, len(people))))) for pk in scores}
    order = meeting.discussion_order(scores, 3.5, sets)
    naive = meeting.naive_order(scores, 3.5)
    assert sorted(order) == sorted(scores)
    changes = meeting.room_changes(order, sets)
    assert changes == len(set(sets.values())) - 1
    assert changes <= meeting.room_changes(naive, sets)
    # Within a group, the nearest paper still comes first.
    for group in set(sets.values()):
        members = [pk for pk in order if sets[pk] == group]
        assert members == [pk for pk in naive if sets[pk] == group]


def test_leaving_counts_conflicts_authors_and_conflict_bids_of_committee_members(
    conference, ml_reviewer, systems_reviewer, bystander, chair
):
    paper = factories.SubmissionFactory(conference=conference, authors=[systems_reviewer])
    factories.ConflictFactory(submission=paper, user=ml_reviewer, state="suggested")
    factories.ConflictFactory(submission=paper, user=chair, state="dismissed")  # not effective
    factories.BidFactory(submission=paper, user=bystander, value="conflict")
    outside = factories.UserFactory()
    factories.ConflictFactory(submission=paper, user=outside, state="confirmed")
    invited = factories.UserFactory()
    factories.MembershipFactory(
        conference=conference,
        user=invited,
        role=enums.Role.PC_MEMBER,
        status=enums.InvitationStatus.INVITED,
    )
    factories.ConflictFactory(submission=paper, user=invited, state="confirmed")
    other = factories.SubmissionFactory(conference=conference)
    assert meeting.leaving(conference, [paper.pk, other.pk]) == {
        paper.pk: frozenset({ml_reviewer.pk, systems_reviewer.pk, bystander.pk}),
        other.pk: frozenset(),
    }

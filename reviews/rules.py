"""Who may see and do what in reviewing: bidding, affinities, assignments.

A PC member never sees a submission they are conflicted with (any effective Conflict row, or a
"conflict" bid), anywhere. Only chairs see other members' bids, affinities, proposals and all
assignments.
"""

import rules

from mlsys.conferences.rules import conference_of, is_chair, is_external_reviewer, is_pc_member
from submissions import enums as sub_enums


def conflicted_submission_ids(user, conference) -> frozenset[int]:
    """Ids of the conference's submissions ``user`` is conflicted with (cached per request)."""
    if conference is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = user.__dict__.setdefault("_conflicted_ids", {})
    if conference.pk not in cache:
        from reviews.enums import BidValue
        from reviews.models import Bid
        from submissions.models import Author, Conflict

        ids = set(
            Conflict.objects.filter(
                user=user,
                submission__conference=conference,
                state__in=sub_enums.EFFECTIVE,
            ).values_list("submission_id", flat=True)
        )
        ids |= set(
            Author.objects.filter(user=user, submission__conference=conference).values_list(
                "submission_id", flat=True
            )
        )
        ids |= set(
            Bid.objects.filter(
                user=user, submission__conference=conference, value=BidValue.CONFLICT
            ).values_list("submission_id", flat=True)
        )
        cache[conference.pk] = frozenset(ids)
    return cache[conference.pk]


@rules.predicate
def is_conflicted(user, submission=None) -> bool:
    if submission is None:
        return False
    submission = getattr(submission, "submission", submission)
    return submission.pk in conflicted_submission_ids(user, conference_of(submission))


@rules.predicate
def is_bidding_open(user, obj=None) -> bool:
    from mlsys.conferences.enums import Phase

    conference = conference_of(obj)
    return bool(conference and conference.timeline().is_open(Phase.BIDDING))


can_bid = is_pc_member & is_bidding_open
can_bid_on = is_pc_member & is_bidding_open & ~is_conflicted

rules.add_perm("reviews.bid", can_bid)
rules.add_perm("reviews.bid_on_submission", can_bid_on)
rules.add_perm("reviews.edit_reviewer_profile", is_pc_member | is_external_reviewer)
rules.add_perm("reviews.manage_assignments", is_chair)
rules.add_perm("reviews.manage_affinities", is_chair)

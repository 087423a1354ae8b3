"""Who may see and do what in reviewing: bidding, affinities, assignments.

A PC member never sees a submission they are conflicted with (any effective Conflict row, or a
"conflict" bid), anywhere. Only chairs see other members' bids, affinities, proposals and all
assignments.
"""

import rules

from mlsys.conferences.enums import Phase
from mlsys.conferences.rules import conference_of, is_chair, is_external_reviewer, is_pc_member
from mlsys.conferences.viewer import as_viewer
from reviews.enums import BidValue, OtherReviewsVisibility
from reviews.models import Assignment, Bid, MetaReview, Review
from submissions import enums as sub_enums
from submissions.models import Author, Conflict, Submission
from submissions.rules import is_author, is_chair_of_file


def load_conflicts(user, conference) -> frozenset[int]:
    """Ids of the conference's papers ``user`` is conflicted with: an effective Conflict row,
    authorship or a "conflict" bid."""
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
    return frozenset(ids)


def conflicted_submission_ids(user, conference) -> frozenset[int]:
    """Ids of the conference's submissions ``user`` (a viewer or a user) is conflicted with
    (one query set per viewer and conference)."""
    return as_viewer(user).fact(load_conflicts, conference)


def conflicted_paper_numbers(user, conference) -> frozenset[int]:
    """Numbers of the papers ``user`` is conflicted with: the email about them is hidden from
    the user on the chairs' outbox page (registered with mlsys.mail.queries in ReviewsConfig)."""
    ids = conflicted_submission_ids(user, conference)
    if not ids:
        return frozenset()
    return frozenset(Submission.objects.filter(pk__in=ids).values_list("number", flat=True))


@rules.predicate
def is_conflicted(user, submission=None) -> bool:
    if submission is None:
        return False
    submission = getattr(submission, "submission", submission)
    viewer = as_viewer(user)
    return submission.pk in viewer.fact(load_conflicts, conference_of(submission, viewer))


@rules.predicate
def is_bidding_open(user, obj=None) -> bool:
    viewer = as_viewer(user)
    conference = conference_of(obj, viewer)
    return bool(conference and conference.timeline(viewer.now).is_open(Phase.BIDDING))


can_bid = is_pc_member & is_bidding_open
can_bid_on = is_pc_member & is_bidding_open & ~is_conflicted

rules.add_perm("reviews.bid", can_bid)
# The bidding page itself stays readable to PC members after bidding closes (read-only).
rules.add_perm("reviews.view_bidding", is_pc_member)
rules.add_perm("reviews.bid_on_submission", can_bid_on)
rules.add_perm("reviews.edit_reviewer_profile", is_pc_member | is_external_reviewer)
rules.add_perm("reviews.manage_assignments", is_chair)
rules.add_perm("reviews.manage_affinities", is_chair)
#: The review forms (read through the API): chairs, who change them, and whoever reviews.
rules.add_perm("reviews.view_review_forms", is_chair | is_pc_member | is_external_reviewer)


# --- Reviewing online (reviews, discussion, responses, meta-reviews) -------------------------
#
# Everything below takes (user, submission) or (user, object with .submission). Conflicts win
# over every role, chairs included: a conflicted person sees nothing of a paper's reviewing.


def _submission(obj):
    return getattr(obj, "submission", obj)


def load_assigned(user, conference) -> frozenset[int]:
    """Papers ``user`` reviews at ``conference``: released, not declined, not removed."""
    return frozenset(
        Assignment.objects.live()
        .filter(reviewer=user, conference=conference)
        .values_list("submission_id", flat=True)
    )


def load_reviewed(user, conference) -> frozenset[int]:
    """Papers for which ``user`` has submitted their own review."""
    return frozenset(
        Review.objects.filter(
            reviewer=user, submission__conference=conference, state="submitted"
        ).values_list("submission_id", flat=True)
    )


def load_leads(user, conference) -> frozenset[int]:
    """Papers whose discussion ``user`` leads (writes the meta-review of)."""
    return frozenset(
        MetaReview.objects.filter(lead=user, submission__conference=conference).values_list(
            "submission_id", flat=True
        )
    )


@rules.predicate
def is_paper_chair(user, obj=None) -> bool:
    """A chair of the paper's conference who is not conflicted with it."""
    if obj is None:
        return False
    submission = _submission(obj)
    return is_chair(user, submission) and not is_conflicted(user, submission)


@rules.predicate
def is_reviewer_of(user, obj=None) -> bool:
    if obj is None:
        return False
    submission = _submission(obj)
    viewer = as_viewer(user)
    assigned = viewer.fact(load_assigned, conference_of(submission, viewer))
    return submission.pk in assigned and not is_conflicted(viewer, submission)


@rules.predicate
def has_submitted_own_review(user, obj=None) -> bool:
    if obj is None:
        return False
    submission = _submission(obj)
    viewer = as_viewer(user)
    return submission.pk in viewer.fact(load_reviewed, conference_of(submission, viewer))


@rules.predicate
def other_reviews_unlocked(user, obj=None) -> bool:
    """The conference lets this reviewer read the other reviews of the paper now."""
    if obj is None:
        return False
    submission = _submission(obj)
    setting = conference_of(submission, as_viewer(user)).other_reviews_visibility
    if setting == OtherReviewsVisibility.ALWAYS:
        return True
    if setting == OtherReviewsVisibility.AFTER_SUBMIT:
        return has_submitted_own_review(user, submission)
    return False


@rules.predicate
def is_paper_author(user, obj=None) -> bool:
    return obj is not None and is_author(user, _submission(obj))


@rules.predicate
def reviews_open_to_authors(user, obj=None) -> bool:
    """Authors read reviews during the response phase and after decisions are released."""
    if obj is None:
        return False
    submission = _submission(obj)
    if submission.status in (sub_enums.Status.ACCEPTED, sub_enums.Status.REJECTED):
        return True  # its decision is released (the status changes only at release)
    viewer = as_viewer(user)
    conference = conference_of(submission, viewer)
    return bool(conference.decisions_released_at) or conference.timeline(viewer.now).is_open(
        Phase.RESPONSE
    )


@rules.predicate
def is_response_phase(user, obj=None) -> bool:
    if obj is None:
        return False
    viewer = as_viewer(user)
    conference = conference_of(_submission(obj), viewer)
    # Judged at the request's arrival (viewer.now, mlsys.core.arrival).
    return conference.timeline(viewer.now).is_open(Phase.RESPONSE)


@rules.predicate
def is_own(user, obj=None) -> bool:
    owner = getattr(obj, "reviewer_id", None) or getattr(obj, "author_id", None)
    return owner is not None and owner == getattr(user, "pk", None)


@rules.predicate
def is_lead_of(user, obj=None) -> bool:
    """The discussion lead (meta-reviewer) of the paper."""
    if obj is None:
        return False
    submission = _submission(obj)
    viewer = as_viewer(user)
    return submission.pk in viewer.fact(load_leads, conference_of(submission, viewer))


#: Reading a paper's reviewing area (reviews list, discussion) as a committee member.
can_view_paper_reviews = is_paper_chair | (is_reviewer_of & other_reviews_unlocked)
#: Authors' view: author-visible fields only, never reviewer identities.
can_view_reviews_as_author = is_paper_author & reviews_open_to_authors
can_write_review = is_reviewer_of
can_view_discussion = is_paper_chair | is_reviewer_of | (is_pc_member & ~is_conflicted)
can_comment = is_paper_chair | is_reviewer_of
can_write_response = is_paper_author & is_response_phase
can_write_meta_review = is_lead_of & ~is_conflicted

rules.add_perm("reviews.view_paper_reviews", can_view_paper_reviews)
rules.add_perm("reviews.view_reviews_as_author", can_view_reviews_as_author)
rules.add_perm("reviews.write_review", can_write_review)
rules.add_perm("reviews.view_discussion", can_view_discussion)
rules.add_perm("reviews.comment", can_comment)
rules.add_perm("reviews.write_response", can_write_response)
rules.add_perm("reviews.write_meta_review", can_write_meta_review)
rules.add_perm("reviews.manage_reviews", is_chair)

#: A review's revision history: its own reviewer (while they still review the paper) or a
#: non-conflicted chair. Object: the Review.
can_revise_own_review = is_own & can_write_review
can_view_review_history = can_revise_own_review | is_paper_chair
#: The meta-review page and its full text: non-conflicted chairs and the non-conflicted lead.
can_open_meta_review = is_paper_chair | can_write_meta_review


@rules.predicate
def is_submitted(user, obj=None) -> bool:
    """The object (a review or meta-review) is submitted."""
    return getattr(obj, "state", None) == "submitted"


@rules.predicate
def decisions_released(user, obj=None) -> bool:
    if obj is None:
        return False
    submission = _submission(obj)
    if submission.status in (sub_enums.Status.ACCEPTED, sub_enums.Status.REJECTED):
        return True  # its decision is released (the status changes only at release)
    return bool(conference_of(submission, as_viewer(user)).decisions_released_at)


#: The committee's list of a paper's reviews (reviews:paper and the API): non-conflicted chairs
#: and the paper's reviewers (their own review always; the others per view_paper_reviews).
rules.add_perm("reviews.read_paper_reviews", can_view_paper_reviews | can_write_review)
#: A paper's comments: the discussion, or its authors once reviews are open to them (they read
#: only "authors too" comments, without names).
rules.add_perm(
    "reviews.read_comments", can_view_discussion | (is_paper_author & reviews_open_to_authors)
)
#: The whole meta-review (object: the MetaReview): non-conflicted chairs and the lead always,
#: the paper's reviewers once it is submitted.
rules.add_perm("reviews.read_meta_review", can_open_meta_review | (is_reviewer_of & is_submitted))
#: Its summary for the paper's authors: submitted, after the release of decisions.
rules.add_perm(
    "reviews.read_meta_review_summary", is_paper_author & is_submitted & decisions_released
)
rules.add_perm("reviews.revise_own_review", can_revise_own_review)
rules.add_perm("reviews.view_review_history", can_view_review_history)
rules.add_perm("reviews.open_meta_review", can_open_meta_review)
rules.add_perm("reviews.assign_lead", is_paper_chair)
#: The author-side reviewing pages (response page, author reviews); what they show is gated
#: further by reviews.view_reviews_as_author and reviews.write_response.
rules.add_perm("reviews.act_as_paper_author", is_paper_author)
#: The submitted author response, read by the committee.
rules.add_perm("reviews.read_submitted_response", is_paper_chair | is_reviewer_of)


# Permissions that submissions names but whose answer needs reviewing state: declared here, so
# that submissions never imports reviews.


@rules.predicate
def is_reviewer_of_reviewer_paper(user, file=None) -> bool:
    """A reviewer of the paper (is_reviewer_of), for the version reviewers get
    (``Submission.reviewer_paper``: never one that failed anonymity unless a chair released
    it)."""
    if file is None or getattr(file, "submission", None) is None:
        return False
    submission = file.submission
    return file.pk == submission.reviewer_paper_id and is_reviewer_of(user, submission)


# The reviewers' copy (kind "review-copy", served under a neutral name): never the author's
# original file name, which may reveal them. Authors may fetch it to see what reviewers get.
rules.add_perm(
    "submissions.download_review_copy",
    is_reviewer_of_reviewer_paper | is_chair_of_file | is_author,
)
#: A chair not conflicted with the paper (conflict rows, authorship, a "conflict" bid): the
#: only chair who may act on it (change its status, decide on its conflicts, tag it, release a
#: version to its reviewers). A conflicted chair still sees the paper in the chairs' lists;
#: another chair handles it. Object: the Submission.
is_unconflicted_chair = is_chair & ~is_conflicted
rules.add_perm("submissions.act_on_submission", is_unconflicted_chair)
# Serving a version that failed the anonymity check to reviewers. Object: the Submission.
rules.add_perm("submissions.release_for_reviewers", is_unconflicted_chair)

"""The data of the paper reviewing page for one viewer (who sees which review, field, score,
rating and name). Pure reads; a fixed number of queries whatever the number of reviews and
comments.

What each viewer gets (see docs/discussion.md):

- non-conflicted chair: every review (drafts listed without their answers), every field,
  reviewer names, every rating;
- reviewer of the paper: their own review (every field they wrote) and, once the
  conference's setting allows (reviews.view_paper_reviews), the other submitted reviews with
  the fields at "authors" and "pc" visibility; names per Conference.reviewer_names_visible;
  only the ratings they gave;
- other non-conflicted PC member: no reviews at all, only the discussion.

The submitted author response (never a draft) goes to chairs and reviewers of the paper: its
general text, and each per-review section on the card of the review it answers, so a section
addressed to a review the viewer may not read stays hidden with that review.
"""

import re
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from mlsys.conferences.viewer import as_viewer
from reviews.discussion import mentions, queries
from reviews.discussion.naming import Naming
from reviews.discussion.rules import postable_levels
from reviews.enums import FieldKind, OtherReviewsVisibility, ReviewState
from reviews.models import AuthorResponse, MetaReview, Review, ReviewRating
from reviews.review_forms import ALL_LEVELS, display_value, levels_for, visible_answers
from reviews.rules import is_paper_chair, is_reviewer_of

#: Sides differ "a lot" when their mean scores are this share of the scale range apart.
DISAGREEMENT_SHARE = 0.3
SIDE_LABELS = {"ML": "ML", "SYSTEMS": "Systems", "BOTH": "Both"}
#: Score questions about the reviewer rather than the paper (the default form's "confidence",
#: or a chair's "expertise"/"familiarity" question), matched on key or label: sides differing
#: there is no disagreement about the paper.
SELF_ASSESSMENT = re.compile(r"confiden|expert|familiar", re.IGNORECASE)


@dataclass
class ReviewCard:
    review: Review
    label: str
    side: str
    is_own: bool
    #: (field, value, display text, is Markdown text) per visible answered field.
    answers: list[tuple[Any, Any, str, bool]] = field(default_factory=list)
    can_rate: bool = False
    my_rating: ReviewRating | None = None
    ratings: list[ReviewRating] = field(default_factory=list)
    #: The authors' per-review section answering this review (Markdown) and the label it
    #: carries on the authors' page ("Reviewer B").
    response_section: str = ""
    response_label: str = ""
    #: From a reviewer a chair removed (issue 8); only chairs see such a card, and it counts
    #: in the scores only when a chair kept it (Assignment.keep_review).
    removed: bool = False
    counted: bool = True

    @property
    def submitted(self) -> bool:
        return self.review.state == ReviewState.SUBMITTED

    @property
    def side_label(self) -> str:
        return SIDE_LABELS.get(self.side, "")


@dataclass
class ScoreRow:
    """One score question across the visible submitted reviews."""

    field: Any
    values: list[tuple[ReviewCard, int | None]]
    spread: int | None
    ml_mean: float | None
    systems_mean: float | None
    disagreement: bool


@dataclass
class PaperPage:
    is_chair: bool
    is_reviewer: bool
    cards: list[ReviewCard]
    hidden_note: str
    scores: list[ScoreRow]
    comments: list
    naming: Naming
    postable: list[str]
    following: bool
    is_lead: bool = False
    #: Whether the paper has a discussion lead (a MetaReview row): the meta-review page
    #: exists only then.
    has_lead: bool = False
    #: The viewer may pick the paper's lead (reviews.assign_lead).
    can_assign_lead: bool = False
    #: The submitted author response, for chairs and reviewers of the paper only.
    response: AuthorResponse | None = None

    @property
    def has_own_review(self) -> bool:
        return any(card.is_own for card in self.cards)


def build(user, submission) -> PaperPage:
    """What ``user`` (a viewer, or a user given a fresh one) reads on the paper's page."""
    user = as_viewer(user)
    chair = is_paper_chair(user, submission)
    reviewer = is_reviewer_of(user, submission)
    naming = Naming.for_viewer(user, submission)
    cards: list[ReviewCard] = []
    hidden_note = ""
    response = None
    if chair or reviewer:
        others_open = user.has_perm("reviews.view_paper_reviews", submission)
        reviews = list(queries.paper_reviews(submission))
        sides = queries.sides_of(submission.conference, {r.reviewer_id for r in reviews})
        levels = levels_for(user, submission)
        show_ratings = user.has_perm("reviews.view_ratings", submission)
        for review in reviews:
            own = review.reviewer_id == user.pk
            if not (own or chair or (others_open and review.state == ReviewState.SUBMITTED)):
                continue
            removed = review.assignment.removed_at is not None
            if removed and not (chair or review.assignment.keep_review):
                continue
            card = _card(user, review, own, show_ratings, naming, sides, levels)
            card.removed, card.counted = removed, not removed or review.assignment.keep_review
            cards.append(card)
        if not chair and not others_open:
            hidden_note = _hidden_note(submission)
        response = queries.submitted_response(submission)
        if response is not None:
            _attach_sections(cards, response, naming)
    comments = list(queries.comments_visible_to(user, submission))
    members = mentions.directory(submission.conference) if comments else None
    for comment in comments:
        comment.display_author = naming.name(comment.author)
        comment.display_body = naming.comment_body(comment, members)
    return PaperPage(
        is_chair=chair,
        is_reviewer=reviewer,
        cards=cards,
        hidden_note=hidden_note,
        scores=_scores(cards),
        comments=comments,
        naming=naming,
        postable=postable_levels(user, submission),
        following=queries.is_following(user, submission),
        is_lead=not chair and user.has_perm("reviews.write_meta_review", submission),
        has_lead=chair and MetaReview.objects.filter(submission=submission).exists(),
        can_assign_lead=chair and user.has_perm("reviews.assign_lead", submission),
        response=response,
    )


def _card(user, review, own, show_ratings, naming, sides, levels) -> ReviewCard:
    card = ReviewCard(
        review=review,
        label="Your review" if own else naming.name(review.reviewer),
        side=sides.get(review.reviewer_id, ""),
        is_own=own,
    )
    if own or review.state == ReviewState.SUBMITTED:
        # A reviewer reads every field of their own review, chairs-only ones included.
        card.answers = [
            (fld, value, display_value(fld, value), fld.kind == FieldKind.TEXT)
            for fld, value in visible_answers(review, ALL_LEVELS if own else levels)
        ]
    ratings = list(review.ratings.all())
    if show_ratings:
        card.ratings = ratings
    card.my_rating = next((r for r in ratings if r.rater_id == user.pk), None)
    card.can_rate = user.has_perm("reviews.rate_review", review)
    return card


def _attach_sections(cards: list[ReviewCard], response: AuthorResponse, naming: Naming) -> None:
    """Put each per-review section on the card of its review, labelled with the reviewer's
    letter as on the authors' page (reviews.response.queries.review_labels)."""
    sections = response.per_review or {}
    for card in cards:
        text = sections.get(str(card.review.pk), "")
        if text:
            card.response_section = text
            card.response_label = f"Reviewer {naming.letters.get(card.review.reviewer_id, '?')}"


def _hidden_note(submission) -> str:
    if submission.conference.other_reviews_visibility == OtherReviewsVisibility.NEVER:
        return "At this conference reviewers do not see the other reviews of a paper."
    return "The other reviews of this paper become visible once you submit your own review."


def _scores(cards: list[ReviewCard]) -> list[ScoreRow]:
    """Score questions answered in the visible submitted reviews (only fields shown in at
    least one card, so a hidden field never leaks through the summary)."""
    submitted = [c for c in cards if c.submitted and c.counted]
    if not submitted:
        return []
    shown: dict[str, Any] = {}
    for card in submitted:
        for fld, *_ in card.answers:
            if fld.kind == FieldKind.SCORE:
                shown.setdefault(fld.key, fld)
    rows = []
    for key, fld in shown.items():
        values = [(c, _value(c, key)) for c in submitted]
        given = [v for _, v in values if v is not None]
        ml = [v for c, v in values if v is not None and c.side == "ML"]
        systems = [v for c, v in values if v is not None and c.side == "SYSTEMS"]
        scale = [int(p["value"]) for p in fld.scale] or [0]
        threshold = DISAGREEMENT_SHARE * max(1, max(scale) - min(scale))
        ml_mean = mean(ml) if ml else None
        systems_mean = mean(systems) if systems else None
        rows.append(
            ScoreRow(
                field=fld,
                values=values,
                spread=max(given) - min(given) if given else None,
                ml_mean=ml_mean,
                systems_mean=systems_mean,
                disagreement=_expresses_merit(fld)
                and ml_mean is not None
                and systems_mean is not None
                and abs(ml_mean - systems_mean) >= threshold,
            )
        )
    return rows


def _expresses_merit(fld) -> bool:
    """Whether a score question rates the paper (merit, contribution, reproducibility…)."""
    return not (SELF_ASSESSMENT.search(fld.key) or SELF_ASSESSMENT.search(fld.label))


def _value(card: ReviewCard, key: str) -> int | None:
    for fld, value, *_ in card.answers:
        if fld.key == key:
            return value if isinstance(value, int) else None
    return None

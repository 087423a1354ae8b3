"""Reviews, discussion comments and author responses of the demo, written through the reviews
services (reviews.reviewing, reviews.discussion, reviews.response) by the people who would
write them, once the assignment is released.

The words come from review_text.py; which reviews are finished, in progress or not started,
and which papers get a response, is drawn from a random stream seeded with the plan's seed.
"""

import random
from collections import defaultdict

from django.db.models import Prefetch

from demo import clock, review_text, schedule
from demo.plan import Plan
from mlsys.conferences.models import CommitteeMembership, Conference
from reviews.discussion.services import post_comment
from reviews.enums import CommentVisibility, ReviewState
from reviews.models import Assignment, Review
from reviews.response import services as responses
from reviews.reviewing.services import revise_review, save_draft, submit_review
from submissions.models import Author, Submission

#: (submitted, in progress) shares of the assignments, by how far the year has gone; the rest
#: are not started.
PROGRESS = {
    "reviewing": (0.55, 0.2),
    "response": (0.95, 0.04),
    "decisions": (0.97, 0.02),
    "artifacts": (0.97, 0.02),
}
#: Share of the submitted reviews that came in after the review deadline (response phase).
LATE_SHARE = 0.1
#: Share of the submitted reviews whose reviewer saved a draft first.
DRAFTED_SHARE = 0.5
MAX_DISCUSSIONS = 6
#: Share of the fully reviewed papers whose authors responded (one more has a draft).
RESPONDED_SHARE = 0.35


def write_reviews(
    conference: Conference, plan: Plan, *, stage: str, year: schedule.Year
) -> dict[int, str]:
    """Submit or draft reviews for the released assignments; returns each paper's story (by
    submission id).

    Reviews are written between the release of the assignment and the review deadline, more of
    them near the deadline; half were saved as a draft first. In the response phase a tenth of
    the submitted reviews came in late (after the deadline, before the response opened)."""
    rng = random.Random(f"mlsys-demo-reviews-{plan.seed}")
    when = random.Random(f"mlsys-demo-review-times-{plan.seed}")
    submitted_share, draft_share = PROGRESS[stage]
    start, end = year.reviewing
    sides = _sides(conference)
    stories: dict[int, str] = {}
    for assignment in _assignments(conference):
        paper = assignment.submission
        story = stories.setdefault(paper.pk, review_text.story(rng))
        side = sides[assignment.reviewer_id]
        roll = rng.random()
        if roll < submitted_share:
            answers = review_text.review_answers(
                rng, title=paper.title, story_name=story, side=side
            )
            late_stage = stage in (schedule.RESPONSE, schedule.DECISIONS, schedule.ARTIFACTS)
            if late_stage and when.random() < LATE_SHARE:
                at = year.fraction(*year.late, when.random())
            else:
                at = year.fraction(start, end, when.random() ** 0.5)
            version = 0
            if when.random() < DRAFTED_SHARE:
                early = review_text.draft_answers(
                    when, title=paper.title, story_name=story, side=side
                )
                with clock.at(year.fraction(start, min(at, end), when.uniform(0.1, 0.9))):
                    save_draft(
                        assignment, actor=assignment.reviewer, answers=early, expected_version=0
                    )
                version = 1
            with clock.at(at):
                submit_review(
                    assignment,
                    actor=assignment.reviewer,
                    answers=answers,
                    expected_version=version,
                )
        elif roll < submitted_share + draft_share:
            answers = review_text.draft_answers(rng, title=paper.title, story_name=story, side=side)
            with clock.at(year.fraction(start, end, when.random())):
                save_draft(
                    assignment, actor=assignment.reviewer, answers=answers, expected_version=0
                )
    return stories


def write_discussion(
    conference: Conference, stories: dict[int, str], *, year: schedule.Year
) -> None:
    """On papers whose ML and Systems reviewers split, a reviewer of each side comments (for
    the paper's reviewers), after both have submitted their reviews."""
    by_paper = _submitted_by_paper(conference)
    sides = _sides(conference)
    done = 0
    for paper_id, reviews in sorted(by_paper.items(), key=lambda kv: kv[1][0].submission.number):
        story = stories.get(paper_id)
        if story not in (review_text.ML_SKEPTIC, review_text.SYSTEMS_SKEPTIC):
            continue
        writers = {sides[r.reviewer_id]: r for r in reviews}
        if not {"ML", "SYSTEMS"} <= set(writers):
            continue
        low_side = "ML" if story == review_text.ML_SKEPTIC else "SYSTEMS"
        both_in = max(r.submitted_at for r in writers.values())
        exchange = review_text.discussion(story, low_side=low_side)
        for k, (side, body) in enumerate(exchange, start=1):
            review = writers[side]
            # Spread over the first half of the time since both reviews were in.
            with clock.at(year.fraction(both_in, year.now, k / (2 * len(exchange) + 1))):
                post_comment(
                    author=review.reviewer,
                    submission=review.submission,
                    body=body,
                    visibility=CommentVisibility.REVIEWERS,
                )
        done += 1
        if done == MAX_DISCUSSIONS:
            return


def write_responses(
    conference: Conference, plan: Plan, stories: dict[int, str], *, year: schedule.Year
) -> None:
    """Since the response phase opened: the contact authors of about a third of the fully
    reviewed papers submit a response (one more saves a draft), and on the first responded
    paper that split its reviewers, the skeptical reviewer raises their score later on."""
    rng = random.Random(f"mlsys-demo-responses-{plan.seed}")
    reviewed = [
        paper_id
        for paper_id, reviews in sorted(
            _submitted_by_paper(conference).items(), key=lambda kv: kv[1][0].submission.number
        )
        if len(reviews) == Assignment.objects.filter(submission_id=paper_id).count()
    ]
    count = min(len(reviewed), round(RESPONDED_SHARE * len(reviewed)) + 1)
    chosen = sorted(rng.sample(reviewed, count))
    contacts = {
        a.submission_id: a.user
        for a in Author.objects.filter(
            submission_id__in=chosen, is_contact=True, user__isnull=False
        ).select_related("user")
    }
    # Through the conference's manager: every paper's .conference is ``conference`` itself.
    papers = {s.pk: s for s in conference.submissions.filter(pk__in=chosen)}
    revised = False
    for position, paper_id in enumerate(chosen):
        paper, author = papers[paper_id], contacts.get(paper_id)
        if author is None:
            continue
        text = review_text.response_text(rng, title=paper.title)
        at = year.fraction(*year.response, 0.1 + 0.6 * position / len(chosen))
        with clock.at(at):
            if position == len(chosen) - 1:
                responses.save_draft(paper, actor=author, text=text, per_review={}, version=0)
                continue
            responses.submit(paper, actor=author, text=text, per_review={}, version=0)
        if not revised and stories.get(paper_id) in (
            review_text.ML_SKEPTIC,
            review_text.SYSTEMS_SKEPTIC,
        ):
            with clock.at(year.fraction(at, year.now, 0.5)):
                revised = _raise_skeptic_score(conference, paper, stories[paper_id])


def _raise_skeptic_score(conference: Conference, paper: Submission, story: str) -> bool:
    skeptic = "ML" if story == review_text.ML_SKEPTIC else "SYSTEMS"
    sides = _sides(conference)
    for review in Review.objects.filter(
        submission=paper, state=ReviewState.SUBMITTED
    ).select_related("assignment__submission", "reviewer"):
        if sides[review.reviewer_id] != skeptic:
            continue
        answers = dict(review.answers)
        answers["overall_merit"] = min(6, answers["overall_merit"] + 1)
        answers["weaknesses"] += (
            "\n\n**After the response:** the new baseline numbers address my main concern; "
            "I raised my score."
        )
        revise_review(
            review.assignment,
            actor=review.reviewer,
            answers=answers,
            expected_version=review.version,
        )
        return True
    return False


def _sides(conference: Conference) -> dict[int, str]:
    return dict(
        CommitteeMembership.objects.filter(conference=conference)
        .exclude(side="")
        .values_list("user_id", "side")
    )


def _assignments(conference: Conference) -> list[Assignment]:
    # Through the conference's managers: each row's and each paper's .conference is the
    # instance given (one schedule for every rule the services check).
    return list(
        conference.assignments.live()
        .select_related("reviewer")
        .prefetch_related(Prefetch("submission", queryset=conference.submissions.all()))
        .order_by("submission__number", "reviewer__email")
    )


def _submitted_by_paper(conference: Conference) -> dict[int, list[Review]]:
    by_paper: dict[int, list[Review]] = defaultdict(list)
    for review in (
        Review.objects.filter(submission__conference=conference, state=ReviewState.SUBMITTED)
        .select_related("reviewer")
        .prefetch_related(Prefetch("submission", queryset=conference.submissions.all()))
        .order_by("submission__number", "reviewer__email")
    ):
        by_paper[review.submission_id].append(review)
    return by_paper

"""The end of the demo's discussion (phase ``decisions``): leads, meta-reviews and the first
pending decisions, written through the reviews and decisions services by the people who would.

Once the author response closed, the chair gives every paper a discussion lead (one of its own
reviewers); the leads submit meta-reviews for most fully reviewed papers, recommending from the
reviews' overall merit; then the chair records pending decisions for the clear cases — the best
papers accepted (the very best as orals), the weakest rejected — and leaves the middle of the
ranking undecided for the PC meeting. Nothing is released: authors see no decision.
"""

import random
from statistics import mean

from decisions.outcomes import outcomes_of
from decisions.services import record_decision
from demo import clock, review_text, schedule
from demo.plan import Plan
from mlsys.accounts.models import User
from mlsys.conferences.models import Conference
from reviews.enums import Recommendation, ReviewState
from reviews.meta.services import auto_assign_leads, write_meta_review
from reviews.models import MetaReview, Review

#: Share of the led papers whose lead has submitted the meta-review (one more is a draft).
META_SHARE = 0.8
#: Of the papers ranked by mean overall merit: the top share gets a pending accept (the top
#: ORAL_SHARE of all as an oral), the bottom share a pending reject; the middle stays undecided.
ACCEPT_SHARE, ORAL_SHARE, REJECT_SHARE = 0.2, 0.06, 0.3


def _recommendation(merit: float) -> str:
    if merit >= 5:
        return Recommendation.ACCEPT
    if merit >= 4.2:
        return Recommendation.WEAK_ACCEPT
    if merit >= 3.5:
        return Recommendation.BORDERLINE
    if merit >= 2.6:
        return Recommendation.WEAK_REJECT
    return Recommendation.REJECT


def _merits(conference: Conference) -> dict[int, float]:
    """Mean submitted overall merit per paper id."""
    scores: dict[int, list[int]] = {}
    for paper_id, answers in Review.objects.filter(
        submission__conference=conference, state=ReviewState.SUBMITTED
    ).values_list("submission_id", "answers"):
        merit = (answers or {}).get("overall_merit")
        if isinstance(merit, int):
            scores.setdefault(paper_id, []).append(merit)
    return {paper: mean(values) for paper, values in scores.items()}


def decide(conference: Conference, plan: Plan, *, year: schedule.Year) -> dict[str, int]:
    """Leads, meta-reviews and pending decisions; returns counts for the seeding report."""
    rng = random.Random(f"mlsys-demo-decisions-{plan.seed}")
    chair = User.objects.get(email=plan.chair.email)
    start, end = year.discussion
    with clock.at(year.fraction(start, end, 0.05)):
        auto_assign_leads(conference, actor=chair)
    merits = _merits(conference)
    metas = list(
        MetaReview.objects.filter(submission__conference=conference)
        .select_related("submission", "lead")
        .order_by("submission__number")
    )
    submitted = drafted = 0
    for position, meta in enumerate(metas):
        merit = merits.get(meta.submission_id)
        if merit is None:
            continue
        final = rng.random() < META_SHARE
        if not final and drafted:
            continue
        with clock.at(year.fraction(start, end, 0.2 + 0.6 * position / max(len(metas), 1))):
            write_meta_review(
                meta,
                actor=meta.lead,
                summary=review_text.meta_summary(rng, title=meta.submission.title, merit=merit),
                recommendation=_recommendation(merit),
                confidence=rng.choice([2, 3, 3, 4]),
                submit=final,
            )
        submitted += final
        drafted += not final
    outcomes = {outcome.label: outcome for outcome in outcomes_of(conference)}
    ranked = sorted(merits, key=lambda paper: -merits[paper])
    papers = {s.pk: s for s in conference.submissions.filter(pk__in=ranked)}
    oral, accept, reject = (
        round(ORAL_SHARE * len(ranked)),
        round(ACCEPT_SHARE * len(ranked)),
        round(REJECT_SHARE * len(ranked)),
    )
    decided = 0
    with clock.at(year.fraction(start, end, 0.9)):
        for index, paper_id in enumerate(ranked):
            if index < oral:
                outcome = outcomes["Accept (oral)"]
            elif index < accept:
                outcome = outcomes["Accept (poster)"]
            elif index >= len(ranked) - reject:
                outcome = outcomes["Reject"]
            else:
                continue
            record_decision(submission=papers[paper_id], outcome=outcome, actor=chair)
            decided += 1
    return {"meta_submitted": submitted, "meta_drafted": drafted, "decided": decided}

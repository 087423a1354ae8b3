"""Every write to discussion leads and meta-reviews.

Invariants: a lead is an accepted PC member or area chair of the conference who is not
conflicted with the paper; only chairs (not conflicted with the paper) assign leads; the lead
writes once discussion has started (:func:`discussion_started`) and until decisions are
released, chairs at any time. Lead assignments are serialised per conference (the conference
row is locked) so two chairs cannot give one paper two leads or skew the load balance.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from mlsys.accounts.models import User
from mlsys.conferences.enums import DeadlineKind, Phase, Role
from mlsys.conferences.models import Conference
from mlsys.conferences.viewer import acting, as_viewer
from mlsys.core import audit
from mlsys.mail.services import queue_email
from reviews.enums import Recommendation, ReviewState
from reviews.meta import queries
from reviews.models import MetaReview
from reviews.review_forms import MAX_TEXT_LENGTH
from reviews.rules import conflicted_submission_ids, is_conflicted, is_lead_of, is_paper_chair
from submissions.enums import Status

LEAD_KEY = "reviews.lead_assigned"
CONFIDENCE_RANGE = range(1, 5)


def discussion_started(conference: Conference, now=None) -> bool:
    """The discussion phase is open (by the clock or a chair's switch) or reviews are due."""
    timeline = conference.timeline(now)
    if timeline.is_open(Phase.DISCUSSION):
        return True
    due = conference.deadline_map().get(DeadlineKind.REVIEW)
    return due is not None and due.at <= timeline.now


def can_edit(user, meta: MetaReview, now=None) -> bool:
    """Chairs (not conflicted) always; the lead once discussion started, until the paper's
    decision is released (for the whole conference or the paper's track)."""
    user = as_viewer(user)
    submission = meta.submission
    if is_paper_chair(user, submission):
        return True
    conference = submission.conference
    return (
        is_lead_of(user, submission)
        and not is_conflicted(user, submission)
        and discussion_started(conference, now)
        and not conference.decisions_released_at
        and submission.status not in (Status.ACCEPTED, Status.REJECTED)
    )


@dataclass
class Candidate:
    user: User
    role: str
    side: str
    load: int
    reviews_paper: bool


def lead_candidates(submission) -> list[Candidate]:
    """Who may lead ``submission``: non-conflicted PC members and area chairs; the paper's
    reviewers first, then area chairs, then by current lead load and name."""
    conference = submission.conference
    members = queries.lead_memberships(conference)
    conflicted = {uid for _sid, uid in queries.conflicted_pairs([submission.pk])}
    reviewers = set(queries.reviewers_by_paper([submission.pk]).get(submission.pk, []))
    loads = queries.lead_loads(conference)
    found = [
        Candidate(m.user, m.role, m.side, loads.get(uid, 0), uid in reviewers)
        for uid, m in members.items()
        if uid not in conflicted
    ]
    found.sort(
        key=lambda c: (
            not c.reviews_paper,
            c.role != Role.AREA_CHAIR,
            c.load,
            (c.user.name or c.user.email).lower(),
        )
    )
    return found


def _check_chair(actor, submission) -> None:
    if not is_paper_chair(actor, submission):
        raise PermissionDenied("Only a chair without a conflict assigns this paper's lead.")


@transaction.atomic
def assign_lead(submission, *, lead, actor) -> MetaReview:
    """Make ``lead`` the discussion lead of ``submission`` (creating its MetaReview row or
    changing the lead of an existing one; written text is kept). Audited; emails the new lead.

    Raises PermissionDenied for a non-chair or conflicted chair, ValidationError when ``lead``
    is not an eligible, non-conflicted PC member or area chair.
    """
    viewer, actor = acting(actor)
    _check_chair(viewer, submission)
    Conference.objects.select_for_update(of=("self",)).filter(pk=submission.conference_id).first()
    if lead.pk not in {c.user.pk for c in lead_candidates(submission)}:
        raise ValidationError(
            {"lead": "Choose a PC member or area chair who is not conflicted with this paper."}
        )
    meta = MetaReview.objects.select_for_update(of=("self",)).filter(submission=submission).first()
    before = meta.lead_id if meta else None
    if meta is not None and before == lead.pk:
        return meta
    if meta is None:
        meta = MetaReview.objects.create(submission=submission, lead=lead)
    else:
        meta.lead = lead
        meta.save(update_fields=["lead", "updated_at"])
    audit.record(
        "reviews.lead_assigned",
        actor=actor,
        target=meta,
        conference=submission.conference,
        changes={"lead": [before, lead.pk]},
    )
    _email_lead(submission.conference, lead, [submission])
    return meta


@dataclass
class AutoAssignResult:
    assigned: dict[int, int] = field(default_factory=dict)  # paper number -> lead user id
    without_candidates: list[int] = field(default_factory=list)  # paper numbers


@transaction.atomic
def auto_assign_leads(conference: Conference, *, actor) -> AutoAssignResult:
    """Give every active paper without a lead one of its own reviewers as lead.

    Papers in number order; among the paper's eligible reviewers (PC member or area chair,
    released and not declined, not conflicted) the one leading the fewest papers so far wins,
    ties to area chairs, then to the lower user id. Papers the acting chair is conflicted with
    are left alone. One audit event for the run; one email per new lead listing their papers.
    """
    viewer, actor = acting(actor)
    if not viewer.has_perm("reviews.manage_reviews", conference):
        raise PermissionDenied("Only chairs assign discussion leads.")
    Conference.objects.select_for_update(of=("self",)).filter(pk=conference.pk).first()
    papers = list(
        conference.submissions.active()
        .filter(meta_review__isnull=True)
        .exclude(pk__in=conflicted_submission_ids(viewer, conference))
        .order_by("number")
    )
    result = AutoAssignResult()
    if not papers:
        return result
    ids = [p.pk for p in papers]
    members = queries.lead_memberships(conference)
    conflicted = queries.conflicted_pairs(ids)
    reviewers = queries.reviewers_by_paper(ids)
    loads = defaultdict(int, queries.lead_loads(conference))
    rows, new_papers = [], defaultdict(list)
    for paper in papers:
        eligible = [
            uid
            for uid in dict.fromkeys(reviewers.get(paper.pk, []))
            if uid in members and (paper.pk, uid) not in conflicted
        ]
        if not eligible:
            result.without_candidates.append(paper.number)
            continue
        uid = min(eligible, key=lambda u: (loads[u], members[u].role != Role.AREA_CHAIR, u))
        loads[uid] += 1
        rows.append(MetaReview(submission=paper, lead_id=uid))
        new_papers[uid].append(paper)
        result.assigned[paper.number] = uid
    MetaReview.objects.bulk_create(rows)
    if rows:
        audit.record(
            "reviews.leads_auto_assigned",
            actor=actor,
            target=conference,
            conference=conference,
            changes={"leads": [None, {str(k): v for k, v in result.assigned.items()}]},
        )
    for uid, led in new_papers.items():
        _email_lead(conference, members[uid].user, led)
    return result


def _email_lead(conference: Conference, lead, papers) -> None:
    url = settings.SITE_URL + reverse("reviews:leading", kwargs={"conference": conference.slug})
    queue_email(
        to=[lead.email],
        key=LEAD_KEY,
        conference=conference,
        context={
            "name": lead.name or lead.email,
            "count": len(papers),
            "paper_count": f"{len(papers)} paper{pluralize(len(papers))}",
            "papers": "\n".join(f"  #{p.number} {p.title}" for p in papers),
            "url": url,
        },
    )


def _validated(summary: str, recommendation: str, confidence, *, final: bool) -> dict:
    errors: dict[str, str] = {}
    summary = (summary or "").strip()
    if len(summary) > MAX_TEXT_LENGTH:
        errors["summary"] = f"Keep the summary under {MAX_TEXT_LENGTH:,} characters."
    if recommendation and recommendation not in Recommendation.values:
        errors["recommendation"] = "Choose one of the recommendations."
    if confidence in ("", None):
        confidence = None
    else:
        try:
            confidence = int(confidence)
        except (TypeError, ValueError):
            confidence = 0
        if confidence not in CONFIDENCE_RANGE:
            errors["confidence"] = "Confidence is 1 (low) to 4 (expert)."
    if final:
        if not summary:
            errors.setdefault("summary", "Write the summary for the authors.")
        if not recommendation:
            errors.setdefault("recommendation", "Choose a recommendation.")
        if confidence is None:
            errors.setdefault("confidence", "Give your confidence.")
    if errors:
        raise ValidationError(errors)
    return {"summary": summary, "recommendation": recommendation or "", "confidence": confidence}


@transaction.atomic
def write_meta_review(
    meta: MetaReview,
    *,
    actor,
    summary: str,
    recommendation: str,
    confidence,
    submit: bool,
    now=None,
) -> MetaReview:
    """Save the meta-review as a draft, or submit it (all three parts required).

    A submitted meta-review stays submitted: later edits go through ``submit=True`` and are
    validated the same way. Raises PermissionDenied unless :func:`can_edit`, ValidationError
    with per-field messages. Audited (with the changed fields).
    """
    viewer, actor = acting(actor)
    meta = (
        MetaReview.objects.select_for_update(of=("self",))
        .select_related("submission__conference")
        .get(pk=meta.pk)
    )
    if not can_edit(viewer, meta, now):
        raise PermissionDenied("You cannot write this meta-review now.")
    if meta.state == ReviewState.SUBMITTED and not submit:
        raise ValidationError("This meta-review is submitted; save your changes as an update.")
    values = _validated(summary, recommendation, confidence, final=submit)
    before = audit.snapshot(meta, ["summary", "recommendation", "confidence", "state"])
    was_submitted = meta.state == ReviewState.SUBMITTED
    for name, value in values.items():
        setattr(meta, name, value)
    fields = ["summary", "recommendation", "confidence", "updated_at"]
    if submit:
        meta.state = ReviewState.SUBMITTED
        meta.submitted_at = timezone.now()
        fields += ["state", "submitted_at"]
    meta.save(update_fields=fields)
    changes = audit.diff(before, meta)
    if changes:
        if not submit:
            action = "reviews.meta_review_draft_saved"
        elif was_submitted:
            action = "reviews.meta_review_updated"
        else:
            action = "reviews.meta_review_submitted"
        audit.record(
            action,
            actor=actor,
            target=meta,
            conference=meta.submission.conference,
            changes=changes,
        )
    return meta

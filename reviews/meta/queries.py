"""Reads for discussion leads and meta-reviews: who may lead a paper, current lead loads.

Every function here answers for many papers or people in a fixed number of queries.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db.models import Count, Prefetch, Q, QuerySet

from mlsys.conferences.enums import InvitationStatus, Role, Side
from mlsys.conferences.models import CommitteeMembership, Conference
from reviews.enums import BidValue, Recommendation, ReviewState
from reviews.models import Assignment, Bid, MetaReview, live_q
from submissions import enums as sub_enums
from submissions.models import Author, Conflict, Submission, paper_is_active

#: Roles that can lead a paper's discussion.
LEAD_ROLES = (Role.AREA_CHAIR, Role.PC_MEMBER)


def conflicted_pairs(submission_ids: Iterable[int]) -> set[tuple[int, int]]:
    """``(submission_id, user_id)`` for every person conflicted with one of the submissions:
    an effective Conflict row, an author account or a "conflict" bid (three queries)."""
    ids = list(submission_ids)
    pairs = set(
        Conflict.objects.filter(submission_id__in=ids, state__in=sub_enums.EFFECTIVE).values_list(
            "submission_id", "user_id"
        )
    )
    pairs |= set(
        Author.objects.filter(submission_id__in=ids, user__isnull=False).values_list(
            "submission_id", "user_id"
        )
    )
    pairs |= set(
        Bid.objects.filter(submission_id__in=ids, value=BidValue.CONFLICT).values_list(
            "submission_id", "user_id"
        )
    )
    return pairs


def conflicted_pairs_at(conference: Conference) -> set[tuple[int, int]]:
    """:func:`conflicted_pairs` for every submission of the conference (three queries, no
    list of ids: what the chairs' whole-conference tables use)."""
    here = {"submission__conference": conference}
    pairs = set(
        Conflict.objects.filter(**here, state__in=sub_enums.EFFECTIVE).values_list(
            "submission_id", "user_id"
        )
    )
    pairs |= set(
        Author.objects.filter(**here, user__isnull=False).values_list("submission_id", "user_id")
    )
    pairs |= set(
        Bid.objects.filter(**here, value=BidValue.CONFLICT).values_list("submission_id", "user_id")
    )
    return pairs


def active_reviewer_assignments() -> QuerySet:
    """Released assignments the reviewer has not declined and no chair removed."""
    return Assignment.objects.live()


def lead_memberships(conference: Conference) -> dict[int, CommitteeMembership]:
    """Accepted PC members and area chairs by user id; an area chair's row wins over a PC
    member's when somebody holds both."""
    rows = CommitteeMembership.objects.filter(
        conference=conference, role__in=LEAD_ROLES, status=InvitationStatus.ACCEPTED
    ).select_related("user")
    found: dict[int, CommitteeMembership] = {}
    for row in rows:
        if row.user_id not in found or row.role == Role.AREA_CHAIR:
            found[row.user_id] = row
    return found


def lead_loads(conference: Conference) -> dict[int, int]:
    """Papers each person currently leads at the conference, by user id."""
    return dict(
        MetaReview.objects.filter(submission__conference=conference)
        .values("lead")
        .annotate(n=Count("pk"))
        .values_list("lead", "n")
    )


#: The leads page's "Show" filter: what each choice keeps (the meta-review status pages show:
#: no lead, "Not started", "Draft", "Submitted"; see MetaReview.status_label).
_NOT_STARTED = Q(
    meta_review__state=ReviewState.DRAFT,
    meta_review__summary="",
    meta_review__recommendation="",
    meta_review__confidence__isnull=True,
)
LEAD_FILTERS: dict[str, Q] = {
    "none": Q(meta_review__isnull=True),
    "not_started": _NOT_STARTED,
    "draft": Q(meta_review__state=ReviewState.DRAFT) & ~_NOT_STARTED,
    "submitted": Q(meta_review__state=ReviewState.SUBMITTED),
}


def leads_table(
    conference: Conference,
    *,
    exclude_ids: Iterable[int] = (),
    q: str = "",
    track_id: int | None = None,
    show: str = "",
) -> QuerySet[Submission]:
    """The conference's active papers for the leads page, by number, without those in
    ``exclude_ids`` (the viewing chair's conflicts), matching a number or title fragment, a
    track and a lead status (a key of :data:`LEAD_FILTERS`). Rows are read with
    :func:`with_leads` one page at a time."""
    qs = (
        Submission.objects.active()
        .filter(conference=conference)
        .exclude(pk__in=list(exclude_ids))
        .order_by("number")
    )
    q = q.strip().lstrip("#")
    if q:
        qs = qs.filter(Q(number=int(q)) if q.isdigit() and len(q) < 10 else Q(title__icontains=q))
    if track_id:
        qs = qs.filter(track_id=track_id)
    if show in LEAD_FILTERS:
        qs = qs.filter(LEAD_FILTERS[show])
    return qs


def with_leads(qs: QuerySet[Submission]) -> list:
    """The papers of ``qs`` (a page) with ``lead_row`` (MetaReview or None) and
    ``reviewer_rows`` (active assignments with users): three queries."""
    papers: list = list(
        qs.select_related("track", "meta_review__lead").prefetch_related(
            Prefetch(
                "assignments",
                queryset=active_reviewer_assignments().select_related("reviewer"),
                to_attr="reviewer_rows",
            )
        )
    )
    for paper in papers:
        try:
            paper.lead_row = paper.meta_review
        except MetaReview.DoesNotExist:
            paper.lead_row = None
    return papers


def papers_for_leads(conference: Conference, *, exclude_ids: Iterable[int] = ()) -> list:
    """Every active paper of the conference for the leads table (see :func:`with_leads`)."""
    return with_leads(leads_table(conference, exclude_ids=exclude_ids))


def leads_export_rows(qs: QuerySet[Submission]) -> Iterator[list]:
    """Every paper of ``qs`` as CSV cells: number, title, track, reviewers (with sides), lead,
    lead email, meta-review status and recommendation. Plain values, four queries in all."""
    papers = list(
        qs.values_list(
            "pk",
            "number",
            "title",
            "track__name",
            "meta_review__lead__name",
            "meta_review__lead__email",
            "meta_review__state",
            "meta_review__summary",
            "meta_review__recommendation",
            "meta_review__confidence",
        )
    )
    reviewers: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for sid, uid, name, email in (
        active_reviewer_assignments()
        .filter(submission__in=qs.values("pk"))
        .order_by("submission_id", "reviewer__name", "pk")
        .values_list("submission_id", "reviewer_id", "reviewer__name", "reviewer__email")
    ):
        reviewers[sid].append((uid, name or email))
    conference_ids = qs.values("conference_id")[:1]
    sides = dict(
        CommitteeMembership.objects.filter(conference_id__in=conference_ids)
        .exclude(side="")
        .values_list("user_id", "side")
    )
    labels = dict(Recommendation.choices)
    side_labels = dict(Side.choices)
    for pk, number, title, track, lead, lead_email, state, summary, rec, conf in papers:
        if state is None:
            status = ""
        elif state == ReviewState.SUBMITTED:
            status = "Submitted"
        else:
            status = "Draft" if (summary or rec or conf is not None) else "Not started"
        names = "; ".join(
            f"{name} ({side_labels[sides[uid]]})" if sides.get(uid) in side_labels else name
            for uid, name in reviewers.get(pk, [])
        )
        yield [
            number,
            title,
            track,
            names,
            lead or lead_email or "",
            lead_email or "",
            status,
            labels.get(rec or "", ""),
        ]


def reviewers_by_paper(submission_ids: Iterable[int]) -> dict[int, list[int]]:
    """Active reviewer user ids per submission id, in assignment order."""
    found: dict[int, list[int]] = defaultdict(list)
    for sid, uid in (
        active_reviewer_assignments()
        .filter(submission_id__in=list(submission_ids))
        .order_by("pk")
        .values_list("submission_id", "reviewer_id")
    ):
        found[sid].append(uid)
    return found


def led_meta_reviews(user, conference: Conference, *, exclude_ids: Iterable[int] = ()) -> QuerySet:
    """The meta-reviews ``user`` leads at ``conference`` on active papers, by paper number,
    each with ``reviews_assigned`` (released, not declined) and ``reviews_submitted`` (one
    query). Pass the user's conflicted paper ids as ``exclude_ids``: a lead who became
    conflicted no longer sees the paper."""
    return (
        MetaReview.objects.filter(paper_is_active(), lead=user, submission__conference=conference)
        .exclude(submission_id__in=list(exclude_ids))
        .select_related("submission__track")
        .annotate(
            reviews_assigned=Count(
                "submission__assignments",
                filter=live_q("submission__assignments__"),
                distinct=True,
            ),
            reviews_submitted=Count(
                "submission__reviews",
                filter=Q(submission__reviews__state=ReviewState.SUBMITTED)
                & live_q("submission__reviews__assignment__"),
                distinct=True,
            ),
        )
        .order_by("submission__number")
    )


def led_submission_ids(user, conference: Conference) -> frozenset[int]:
    """Ids of the active papers ``user`` leads at ``conference`` (one query)."""
    return frozenset(
        MetaReview.objects.filter(
            paper_is_active(), lead=user, submission__conference=conference
        ).values_list("submission_id", flat=True)
    )

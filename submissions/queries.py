"""Reusable submission querysets for the chairs' list, its export, the API and the dashboard.

Every builder here costs a constant number of queries however many submissions it returns:
counts are annotated as subqueries, relations are prefetched, the current paper is joined.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from mlsys.core.models import AuditEvent
from mlsys.core.numbers import parse_id
from submissions import enums
from submissions.models import Author, Conflict, Submission, SubmissionFile

#: sort key (as in ``?sort=``) -> ordering; a leading "-" in the request reverses it.
SORTS: dict[str, tuple[str, ...]] = {
    "number": ("number",),
    "title": ("title", "number"),
    "status": ("status", "number"),
    "updated": ("updated_at", "number"),
    "pages": ("paper_pages", "number"),
    "track": ("track__order", "track__name", "number"),
}


#: ``function(viewer, conference)`` -> ids of the conference's submissions whose chairs' tags
#: the viewer may not see: the papers they are conflicted with. The decisions dashboard hides a
#: conflicted paper's tags, so the submissions list, its export and the API hide them too.
#: Registered by reviews, which knows every kind of conflict (declared, detected, bid).
HiddenTags = Callable[..., Iterable[int]]
_hidden_tags: list[HiddenTags] = []


def register_hidden_tags(function: HiddenTags) -> None:
    if function not in _hidden_tags:
        _hidden_tags.append(function)


def hidden_tag_ids(viewer, conference) -> frozenset[int]:
    """Ids of the submissions whose tags ``viewer`` may not see (once per request: the
    registered functions read the viewer's cached conflicts)."""
    if viewer is None or conference is None:
        return frozenset()
    ids: set[int] = set()
    for function in _hidden_tags:
        ids.update(function(viewer, conference))
    return frozenset(ids)


def _count_subquery(qs: QuerySet) -> Coalesce:
    counted = qs.order_by().values("submission").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def effective_conflicts() -> QuerySet[Conflict]:
    """Conflicts that keep a PC member away from a paper (suggested, confirmed or pinned)."""
    return Conflict.objects.filter(state__in=enums.EFFECTIVE)


def for_chairs(conference) -> QuerySet[Submission]:
    """Every submission of ``conference`` with what the chairs' list, export and API show.

    Annotates ``author_count``, ``conflict_count`` (effective conflicts), ``paper_check_status``
    and ``paper_pages`` (of the current paper, NULL without one); joins track and current paper
    (without its extracted text); prefetches authors (in order), topics and tags. Read through
    the conference's manager, so each row's ``.conference`` is ``conference`` itself.
    """
    return (
        conference.submissions.all()
        .select_related("track", "current_paper")
        .defer("current_paper__text", "current_paper__report")
        .annotate(
            author_count=_count_subquery(Author.objects.filter(submission=OuterRef("pk"))),
            conflict_count=_count_subquery(effective_conflicts().filter(submission=OuterRef("pk"))),
            paper_check_status=F("current_paper__check_status"),
            paper_pages=F("current_paper__pages"),
        )
        .prefetch_related(
            Prefetch("authors", queryset=Author.objects.order_by("order", "pk")),
            "topics",
            "tags",
        )
    )


def for_author(user, conference) -> QuerySet[Submission]:
    """The submissions of ``conference`` that ``user`` is an author of, with the same extras."""
    mine = Author.objects.filter(submission=OuterRef("pk"), user=user)
    return for_chairs(conference).filter(Exists(mine))


def visible_submissions(user, conference, *, as_chair: bool) -> QuerySet[Submission]:
    """Plain rows (no extras) of what ``user`` may manage: all for chairs, else their own."""
    qs = conference.submissions.all()
    if as_chair:
        return qs
    return qs.filter(Exists(Author.objects.filter(submission=OuterRef("pk"), user=user)))


def _choices_matching(term: str, choices: Iterable[tuple[str, str]]) -> list[str]:
    term = term.strip().lower().replace("-", " ").replace("_", " ")
    if len(term) < 3:
        return []
    return [
        value
        for value, label in choices
        if term == value.replace("_", " ") or term in label.lower().replace("-", " ")
    ]


def search(qs: QuerySet[Submission], text: str) -> QuerySet[Submission]:
    """Keep submissions matching every word of ``text``.

    A word matches the number (``12`` or ``#12``), title, abstract, an author's name or email,
    a topic, the status or the current paper's check result. Author and topic matches use
    EXISTS so a submission never appears twice.
    """
    for word in text.split():
        term = word.strip()
        if not term:
            continue
        condition = (
            Q(title__icontains=term)
            | Q(abstract__icontains=term)
            | Exists(
                Author.objects.filter(submission=OuterRef("pk")).filter(
                    Q(name__icontains=term) | Q(email__icontains=term)
                )
            )
            | Exists(
                Submission.topics.through.objects.filter(
                    submission=OuterRef("pk"), topic__name__icontains=term
                )
            )
        )
        number = parse_id(term.lstrip("#"))
        if number is not None:
            condition |= Q(number=number)
        statuses = _choices_matching(term, enums.Status.choices)
        if statuses:
            condition |= Q(status__in=statuses)
        checks = _choices_matching(term, enums.CheckStatus.choices)
        if checks:
            condition |= Q(current_paper__check_status__in=checks)
        qs = qs.filter(condition)
    return qs


@dataclass
class ListFilters:
    """What the chairs' list and the API filter by. Empty values mean "any"."""

    q: str = ""
    tracks: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    check_statuses: list[str] = field(default_factory=list)
    tags: list = field(default_factory=list)
    has_conflicts: bool | None = None
    #: Submissions whose tags the viewer may not see: they never match a tag filter.
    tags_hidden: frozenset[int] = frozenset()


NO_PAPER = "none"
#: The current paper failed the anonymity check (whatever else its check says).
NAMES_AUTHORS = "names-authors"


def apply_filters(qs: QuerySet[Submission], filters: ListFilters) -> QuerySet[Submission]:
    """Narrow ``qs`` (from :func:`for_chairs`) by ``filters``; never adds a query per row.

    ``check_statuses`` may contain ``"none"`` for submissions without a current paper and
    ``"names-authors"`` for those whose current paper failed the anonymity check.
    """
    if filters.q:
        qs = search(qs, filters.q)
    if filters.tracks:
        qs = qs.filter(track__in=filters.tracks)
    if filters.topics:
        topic_match = Submission.topics.through.objects.filter(
            submission=OuterRef("pk"), topic__in=filters.topics
        )
        qs = qs.filter(Exists(topic_match))
    if filters.statuses:
        qs = qs.filter(status__in=filters.statuses)
    if filters.check_statuses:
        wanted = [s for s in filters.check_statuses if s not in (NO_PAPER, NAMES_AUTHORS)]
        condition = Q(current_paper__check_status__in=wanted)
        if NO_PAPER in filters.check_statuses:
            condition |= Q(current_paper__isnull=True)
        if NAMES_AUTHORS in filters.check_statuses:
            condition |= Q(current_paper__anonymity_failed=True)
        qs = qs.filter(condition)
    if filters.tags:
        tag_match = Submission.tags.through.objects.filter(
            submission=OuterRef("pk"), tag__in=filters.tags
        )
        qs = qs.filter(Exists(tag_match))
        if filters.tags_hidden:
            qs = qs.exclude(pk__in=filters.tags_hidden)
    if filters.has_conflicts is not None:
        conflicted = Exists(effective_conflicts().filter(submission=OuterRef("pk")))
        qs = qs.filter(conflicted if filters.has_conflicts else ~conflicted)
    return qs


def apply_sort(qs: QuerySet[Submission], sort: str) -> QuerySet[Submission]:
    """Order by a key of :data:`SORTS`, ``-key`` for descending; unknown keys sort by number."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    fields = SORTS.get(key, SORTS["number"])
    ordering = []
    for name in fields:
        expression = F(name)
        ordering.append(
            expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        )
    return qs.order_by(*ordering)


def counts(qs: QuerySet[Submission]) -> dict[str, list[dict]]:
    """Submissions per track, topic and status in ``qs``: three aggregate queries.

    Returns ``{"tracks": [{"id", "name", "n"}], "topics": [{"id", "name", "area", "n"}],
    "statuses": [{"value", "label", "n"}]}``, each in display order, zeros left out.
    """
    base = qs.order_by()
    tracks = [
        {"id": row["track"], "name": row["track__name"], "n": row["n"]}
        for row in base.values("track", "track__name", "track__order")
        .annotate(n=Count("pk", distinct=True))
        .order_by("track__order", "track__name")
    ]
    topics = [
        {
            "id": row["topics"],
            "name": row["topics__name"],
            "area": row["topics__area"],
            "n": row["n"],
        }
        for row in base.filter(topics__isnull=False)
        .values("topics", "topics__name", "topics__area", "topics__order")
        .annotate(n=Count("pk", distinct=True))
        .order_by("topics__area", "topics__order", "topics__name")
    ]
    by_status = dict(base.values_list("status").annotate(n=Count("pk", distinct=True)))
    statuses = [
        {"value": value, "label": label, "n": by_status[value]}
        for value, label in enums.Status.choices
        if by_status.get(value)
    ]
    return {"tracks": tracks, "topics": topics, "statuses": statuses}


#: The audit verbs that name a chairs' tag (hidden, with the tags, from a conflicted chair).
TAG_EVENTS = ("submissions.tagged", "submissions.untagged")


def history_for(
    submission: Submission, *, hide_conflicts: Iterable[Conflict] = (), hide_tags: bool = False
) -> QuerySet:
    """Audit events about ``submission``, its files, authors and conflicts, newest first;
    without the events of ``hide_conflicts`` (those a conflicted viewer may not see), nor its
    tagging with ``hide_tags``."""
    types = ContentType.objects.get_for_models(Submission, SubmissionFile, Author, Conflict)
    hidden = {c.pk for c in hide_conflicts}
    conflict_ids = submission.conflicts.exclude(pk__in=hidden).values_list("pk", flat=True)
    ids = {
        Submission: [str(submission.pk)],
        SubmissionFile: [str(pk) for pk in submission.files.values_list("pk", flat=True)],
        Author: [str(pk) for pk in submission.authors.values_list("pk", flat=True)],
        Conflict: [str(pk) for pk in conflict_ids],
    }
    condition = Q(pk__in=[])
    for model, object_ids in ids.items():
        if object_ids:
            condition |= Q(content_type=types[model], object_id__in=object_ids)
    events = AuditEvent.objects.filter(condition)
    if hide_tags:
        events = events.exclude(action__in=TAG_EVENTS)
    return events.select_related("actor").order_by("-created_at", "-id")


# --- The check queue (issue 13): for /healthz and for honest waiting times ------------------
#: How far back :func:`check_backlog` counts finished checks to measure the checkers' pace.
PACE_WINDOW = timedelta(minutes=10)


def oldest_pending_check() -> datetime | None:
    """When the oldest file still waiting for its PDF check was uploaded (None: none waits).
    One indexed query; monitoring (/healthz) reports its age."""
    return (
        SubmissionFile.objects.filter(check_status=enums.CheckStatus.PENDING)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )


@dataclass(frozen=True)
class CheckBacklog:
    """The files waiting for a check, and how many checks finished in the last
    :data:`PACE_WINDOW`."""

    pending: int
    finished_recently: int

    def wait_words(self) -> str:
        """Roughly how long the waiting checks take at the recent pace, in words."""
        if not self.finished_recently:
            return "a few minutes"
        seconds = self.pending * PACE_WINDOW.total_seconds() / self.finished_recently
        if seconds < 90:
            return "about a minute"
        return f"about {round(seconds / 60)} minutes"


def check_backlog(now: datetime | None = None) -> CheckBacklog:
    """Count the pending checks and the pace of the last :data:`PACE_WINDOW` (one query)."""
    since = (now or timezone.now()) - PACE_WINDOW
    counts = SubmissionFile.objects.aggregate(
        pending=Count("pk", filter=Q(check_status=enums.CheckStatus.PENDING)),
        finished=Count("pk", filter=Q(checked_at__gte=since)),
    )
    return CheckBacklog(pending=counts["pending"], finished_recently=counts["finished"])

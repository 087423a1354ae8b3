"""What the outbox holds: the chairs' outbox page (per conference) and the health check (site).

Mail knows no roles or papers beyond a row's ``paper_number``. Which papers a viewer may not see
email about is answered by the apps that know conflicts, through :func:`register_hidden_papers`
(reviews registers the viewer's conflicts): subjects and recipients name papers, outcomes and
reviewers ("Paper #12 accepted: …", "Invitation to review paper #12" to a reviewer).
"""

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from mlsys.mail.models import OutboundEmail

S = OutboundEmail.Status
#: What an outbox page lists: what did not go out and needs a person or the schedule (failed,
#: held, pending after a failed attempt, being sent again after one).
ATTENTION = (
    Q(status=S.FAILED)
    | Q(status=S.HELD)
    | Q(status=S.PENDING, attempts__gte=1)
    | Q(status=S.SENDING, attempts__gte=2)
)
#: A due row the sweep has not tried for this long means the sweep (beat or the mail worker) is
#: not running.
SWEEP_LATE_AFTER = timedelta(minutes=5)

HiddenPapers = Callable[[object, object], Iterable[int]]
_hidden_papers: list[HiddenPapers] = []


def register_hidden_papers(function: HiddenPapers) -> None:
    """``function(viewer, conference)`` answers the numbers of the papers whose email the viewer
    may not see (called once per page)."""
    if function not in _hidden_papers:
        _hidden_papers.append(function)


def hidden_paper_numbers(viewer, conference) -> frozenset[int]:
    numbers: set[int] = set()
    for function in _hidden_papers:
        numbers.update(function(viewer, conference))
    return frozenset(numbers)


def status_counts(conference, hidden: Iterable[int] = ()) -> dict[str, int]:
    """Rows of the conference per status, every status present, without those about the
    papers in ``hidden`` (one query)."""
    counts = dict.fromkeys(S.values, 0)
    rows = (
        OutboundEmail.objects.filter(conference=conference)
        .exclude(paper_number__in=list(hidden))
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    for status, n in rows:
        counts[status] = n
    return counts


def needing_attention(conference, hidden: Iterable[int] = ()) -> QuerySet[OutboundEmail]:
    """The conference's failed, held and retrying rows, newest first, without those about the
    papers in ``hidden``. Bodies are not loaded: the page never shows them."""
    return (
        OutboundEmail.objects.filter(ATTENTION, conference=conference)
        .exclude(paper_number__in=list(hidden))
        .defer("body")
        .order_by("-created_at", "-pk")
    )


def failed(conference, hidden: Iterable[int] = ()) -> QuerySet[OutboundEmail]:
    return needing_attention(conference, hidden).filter(status=S.FAILED)


def outbox_health(now: datetime | None = None) -> dict[str, int | float | None]:
    """The site's unsent mail, for /healthz (one query):

    - ``retrying``: pending rows that failed at least once and wait for the sweep;
    - ``overdue``: pending rows due for longer than SWEEP_LATE_AFTER (the sweep is not running);
    - ``failed``: rows given up or refused (until resent), ``failed_last_day`` of them updated in
      the last 24 hours;
    - ``oldest_unsent_seconds``: age of the oldest pending or sending row (None if none).
    """
    now = now or timezone.now()
    unsent = Q(status__in=[S.PENDING, S.SENDING])
    figures = OutboundEmail.objects.aggregate(
        retrying=Count("pk", filter=Q(status=S.PENDING, attempts__gte=1)),
        overdue=Count("pk", filter=Q(status=S.PENDING, next_attempt_at__lt=now - SWEEP_LATE_AFTER)),
        failed=Count("pk", filter=Q(status=S.FAILED)),
        failed_last_day=Count(
            "pk", filter=Q(status=S.FAILED, updated_at__gte=now - timedelta(days=1))
        ),
        oldest_unsent=Min("created_at", filter=unsent),
    )
    oldest = figures.pop("oldest_unsent")
    figures["oldest_unsent_seconds"] = (now - oldest).total_seconds() if oldest else None
    return figures

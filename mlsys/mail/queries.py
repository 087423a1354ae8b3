"""What the outbox holds: the chairs' outbox page (per conference) and the health check (site).

Mail knows no roles or papers beyond a row's ``paper_number``. Which papers a viewer may not see
email about is answered by the apps that know conflicts, through :func:`register_hidden_papers`
(reviews registers the viewer's conflicts): subjects and recipients name papers, outcomes and
reviewers ("Paper #12 accepted: …", "Invitation to review paper #12" to a reviewer).
"""

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.db.models import Case, CharField, Count, Min, Q, QuerySet, Value, When
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
#: The outbox page's states, in its order: a label and the rows in it. ``pending`` is two states,
#: so that a row the list shows as "Retrying" is counted, and can be listed, as retrying rather
#: than with the email that has not been tried yet.
STATES: dict[str, tuple[str, Q]] = {
    "held": ("Held for review", Q(status=S.HELD)),
    "waiting": ("Waiting to be sent", Q(status=S.PENDING, attempts=0)),
    "retrying": ("Retrying", Q(status=S.PENDING, attempts__gte=1)),
    "sending": ("Sending", Q(status=S.SENDING)),
    "sent": ("Sent", Q(status=S.SENT)),
    "failed": ("Failed", Q(status=S.FAILED)),
    "suppressed": ("Not sent (demo)", Q(status=S.SUPPRESSED)),
}
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


def _visible(conference, hidden: Iterable[int]) -> QuerySet[OutboundEmail]:
    return OutboundEmail.objects.filter(conference=conference).exclude(
        paper_number__in=list(hidden)
    )


def state_counts(conference, hidden: Iterable[int] = ()) -> dict[str, int]:
    """Rows of the conference per state of :data:`STATES`, every state present, without those
    about the papers in ``hidden`` (one query)."""
    return _visible(conference, hidden).aggregate(
        **{state: Count("pk", filter=rows) for state, (_, rows) in STATES.items()}
    )


def _listed(rows: QuerySet[OutboundEmail]) -> QuerySet[OutboundEmail]:
    """Newest first, each with its ``state`` (a key of :data:`STATES`). Bodies are not loaded:
    the page never shows them."""
    state = Case(
        *(When(condition, then=Value(key)) for key, (_, condition) in STATES.items()),
        output_field=CharField(),
    )
    return rows.annotate(state=state).defer("body").order_by("-created_at", "-pk")


def needing_attention(conference, hidden: Iterable[int] = ()) -> QuerySet[OutboundEmail]:
    """The conference's failed, held and retrying rows, without those about the papers in
    ``hidden``."""
    return _listed(_visible(conference, hidden).filter(ATTENTION))


def in_state(conference, state: str, hidden: Iterable[int] = ()) -> QuerySet[OutboundEmail]:
    """The conference's rows in ``state`` (a key of :data:`STATES`), without those about the
    papers in ``hidden``."""
    return _listed(_visible(conference, hidden).filter(STATES[state][1]))


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

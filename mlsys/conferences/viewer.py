"""Who is asking: one explicit access context per request.

A :class:`Viewer` wraps the request's user and remembers, per conference, the facts the rules
read about them: their roles, the papers they are conflicted with, assigned to, have reviewed
or wrote. Each fact costs one query the first time a rule needs it in that request and none
after. Nothing is stored on the user or the conference: the memo lives and dies with the
viewer, and a service that changes a fact (a bid of "conflict", an accepted invitation) tells
the viewer it was given to forget it.

Pages and the API read ``request.viewer`` (set by :class:`ViewerMiddleware`) and ask
``viewer.has_perm(perm, obj)``; the rules' predicates receive the viewer as their "user".
Services take an ``actor`` that may be a viewer (from a page or the API) or a plain user (from
a task, a command or the demo) and call :func:`as_viewer` on it. A plain user given to a
predicate gets a fresh viewer: the same answers, without the memo.

The viewer also knows when the request arrived (``viewer.now``: the proxy's arrival time,
:mod:`mlsys.core.arrival`). Every service and rule that judges a deadline reads the time from
the viewer, so an upload sent before the deadline is judged by when it was sent, not by when a
busy worker got to it. A viewer built for a task or a command has no arrival time: its ``now``
is the clock's.

The viewer also knows the conferences the request resolved (``viewer.know(conference)``, done
by the conference mixins): a rule asking for the conference of a paper gets that instance,
with its prefetched schedule, instead of loading it again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.utils import timezone

#: A fact about the viewer at one conference: ``loader(user, conference) -> frozenset``.
Loader = Callable[[Any, Any], frozenset]


class Viewer:
    """The user of one request and what the rules have learned about them."""

    def __init__(self, user, *, arrived_at: datetime | None = None) -> None:
        self.user = user
        self.arrived_at = arrived_at
        self._facts: dict[tuple[Hashable, int], frozenset] = {}
        self._conferences: dict[int, Any] = {}

    def __repr__(self) -> str:
        return f"<Viewer {self.user!r}>"

    @property
    def now(self) -> datetime:
        """The moment deadlines are judged at: the request's arrival, else the clock."""
        return self.arrived_at or timezone.now()

    # The rules' predicates receive the viewer where django-rules passes a user.
    @property
    def pk(self):
        return getattr(self.user, "pk", None)

    id = pk

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    @property
    def is_anonymous(self) -> bool:
        return not self.is_authenticated

    @property
    def is_active(self) -> bool:
        return bool(getattr(self.user, "is_active", False))

    @property
    def is_superuser(self) -> bool:
        return bool(getattr(self.user, "is_superuser", False))

    @property
    def is_staff(self) -> bool:
        return bool(getattr(self.user, "is_staff", False))

    def has_perm(self, perm: str, obj=None) -> bool:
        """``user.has_perm`` answered by the rules with this viewer's memo. Unlike Django's own
        ``User.has_perm``, an active superuser holds only what the rules grant them (they are a
        chair everywhere: ``conferences.rules.is_chair``), so a superuser who wrote a paper or
        is conflicted with it is kept away from its reviewing like any conflicted chair."""
        return rules.has_perm(perm, self, obj)

    # --- Facts ------------------------------------------------------------------------------

    def fact(self, loader: Loader, conference) -> frozenset:
        """``loader(user, conference)``, computed once per conference in this request."""
        if conference is None or not self.is_authenticated:
            return frozenset()
        key = (loader, conference.pk)
        if key not in self._facts:
            self._facts[key] = frozenset(loader(self.user, conference))
        return self._facts[key]

    def forget(self, *loaders: Loader) -> None:
        """Drop what the given loaders answered (every fact if none is named): the caller just
        changed it."""
        if not loaders:
            self._facts.clear()
            return
        for key in [k for k in self._facts if k[0] in loaders]:
            del self._facts[key]

    # --- Conferences ------------------------------------------------------------------------

    def know(self, conference):
        """Remember ``conference`` (resolved by the request, schedule prefetched)."""
        self._conferences[conference.pk] = conference
        return conference

    def known_conference(self, conference_id):
        return self._conferences.get(conference_id)


def as_viewer(actor) -> Viewer:
    """The viewer itself, or a fresh one for a plain user."""
    if isinstance(actor, Viewer):
        return actor
    return Viewer(actor)


def user_of(actor):
    """The User behind ``actor`` (a Viewer or a user): who an audit event or a row names."""
    return actor.user if isinstance(actor, Viewer) else actor


class ViewerMiddleware:
    """Sets ``request.viewer`` (after authentication; the user itself is still read lazily),
    with the request's arrival time (``request.arrived_at``, set by the first middleware).

    The API authenticates on its own (tokens): its views replace ``request.viewer`` with one
    for the user DRF authenticated (:class:`mlsys.conferences.api.scoping.ConferenceScoped`)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        request.viewer = Viewer(request.user, arrived_at=getattr(request, "arrived_at", None))
        return self.get_response(request)


def acting(actor) -> tuple[Viewer, Any]:
    """(viewer, user) for a service's ``actor``: the viewer answers its permission checks, the
    user is who its rows and audit events name."""
    viewer = as_viewer(actor)
    return viewer, viewer.user


def require(actor, perm: str, obj, message: str) -> tuple[Viewer, Any]:
    """:func:`acting`, refused with PermissionDenied(``message``) unless the actor holds
    ``perm`` on ``obj``: how a service enforces its permission whoever calls it."""
    viewer, user = acting(actor)
    if not viewer.has_perm(perm, obj):
        raise PermissionDenied(message)
    return viewer, user

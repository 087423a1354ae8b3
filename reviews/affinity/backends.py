"""The pluggable scoring interface: a backend turns paper texts and reviewer texts into a
papers × reviewers matrix of scores in [0, 1].

A backend is registered under a short ``name`` (also the ``Affinity.source`` its scores are
stored under); ``settings.AFFINITY_BACKEND`` (default ``"tfidf"``) picks the one the chairs'
"Compute affinities" button runs. Backends see plain text only, never the database, so they can
be tested, benchmarked and swapped (e.g. for an embedding model) on their own.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from scipy import sparse

DEFAULT_BACKEND = "tfidf"

#: Called with the fraction (0–1) of the backend's own work done so far.
Progress = Callable[[float], None]


@dataclass(frozen=True)
class PaperText:
    """What is known of a submission's content. ``body`` is the start of the extracted PDF text
    (empty when no PDF text is available); ``topics`` are the conference topics its authors
    chose (topic ids), for backends that use them."""

    id: int
    title: str
    abstract: str = ""
    body: str = ""
    topics: Sequence[Hashable] = ()


@dataclass(frozen=True)
class ReviewerText:
    """A reviewer's expertise: one string per paper of theirs (title and abstract). A reviewer
    with no documents gets score 0 for every paper from the text backends. ``topics`` maps the
    conference topics they declared to their level (``InterestLevel``: 0 none … 3 expert)."""

    id: int
    documents: Sequence[str] = field(default_factory=tuple)
    topics: Mapping[Any, int] = field(default_factory=dict)


class AffinityBackend(ABC):
    """Scores every (paper, reviewer) pair.

    ``score`` returns a ``len(papers) × len(reviewers)`` matrix (``scipy.sparse`` or a dense
    ``numpy`` array), row ``i`` for ``papers[i]`` and column ``j`` for ``reviewers[j]``, with
    values in [0, 1] where higher means a better match; absent/zero entries mean "no evidence".
    It must not touch the database and may report progress through ``progress``.
    """

    #: Registry key and the ``Affinity.source`` the scores are stored under (≤ 20 characters).
    name: str = ""
    #: What the chairs' page calls it.
    label: str = ""

    @abstractmethod
    def score(
        self,
        papers: Sequence[PaperText],
        reviewers: Sequence[ReviewerText],
        *,
        progress: Progress | None = None,
    ) -> sparse.spmatrix | sparse.sparray | np.ndarray: ...


_REGISTRY: dict[str, type[AffinityBackend]] = {}


def register(cls: type[AffinityBackend]) -> type[AffinityBackend]:
    """Class decorator: make ``cls`` available under ``cls.name`` (a later class replaces an
    earlier one with the same name)."""
    if not cls.name or len(cls.name) > 20 or cls.name.startswith("~"):
        raise ValueError(f"Backend name {cls.name!r} must be 1–20 characters, not starting with ~")
    _REGISTRY[cls.name] = cls
    return cls


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def available() -> list[str]:
    _load_builtin()
    return sorted(_REGISTRY)


def get_backend(name: str | None = None) -> AffinityBackend:
    """An instance of the backend called ``name`` (default: ``settings.AFFINITY_BACKEND``).

    Raises ``KeyError`` with the known names when there is no such backend.
    """
    _load_builtin()
    name = name or configured_backend_name()
    try:
        return _REGISTRY[name]()
    except KeyError:
        raise KeyError(
            f"No affinity backend {name!r}; known: {', '.join(sorted(_REGISTRY))}"
        ) from None


def configured_backend_name() -> str:
    return getattr(settings, "AFFINITY_BACKEND", DEFAULT_BACKEND)


def _load_builtin() -> None:
    # Imported lazily: scikit-learn is only loaded by code that scores.
    from reviews.affinity import combined, tfidf  # noqa: F401

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

    @classmethod
    def display_label(cls) -> str:
        """The label shown in the backend select (may depend on what is installed)."""
        return cls.label or cls.name

    @classmethod
    def installed(cls) -> bool:
        """Whether the packages it needs can be imported here (optional extras may be
        missing; such a backend stays registered but is not ``available()``)."""
        return True

    @classmethod
    def not_installed_message(cls) -> str:
        return f"The {cls.name} affinity backend is not installed here."

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
    """Names of the registered backends that can run here."""
    _load_builtin()
    return sorted(name for name, cls in _REGISTRY.items() if cls.installed())


def registered() -> list[str]:
    """Names of every registered backend, installed here or not (names no upload may take)."""
    _load_builtin()
    return sorted(_REGISTRY)


def choices() -> list[tuple[str, str]]:
    """(name, label) of the available backends, for a select."""
    return [(name, _REGISTRY[name].display_label()) for name in available()]


def get_backend(name: str | None = None) -> AffinityBackend:
    """An instance of the backend called ``name`` (default: ``settings.AFFINITY_BACKEND``).

    Raises ``KeyError`` with the available names when there is no such backend, or with how to
    install it when its optional packages are missing.
    """
    _load_builtin()
    name = name or configured_backend_name()
    cls = _REGISTRY.get(name)
    if cls is None:
        raise KeyError(f"No affinity backend {name!r}; available: {', '.join(available())}")
    if not cls.installed():
        raise KeyError(cls.not_installed_message())
    return cls()


def configured_backend_name() -> str:
    return getattr(settings, "AFFINITY_BACKEND", DEFAULT_BACKEND)


def _load_builtin() -> None:
    # Imported lazily: scikit-learn is only loaded by code that scores. The embedding module
    # imports nothing heavy until it encodes.
    from reviews.affinity import combined, embeddings, tfidf  # noqa: F401

"""The combined backend: a weighted sum of text similarity and topic overlap.

- **Text**: the embedding backend's score (``EMBEDDING_BACKEND``, when the optional
  ``embeddings`` extra is installed) and the TF-IDF backend's score, each a reviewer-profile
  aggregate over the reviewer's papers (``profiles``).
- **Topics**: the mean, over the topics the authors chose for the paper, of the reviewer's
  declared level for that topic divided by the top level (``InterestLevel.EXPERT``); a topic
  the reviewer did not declare counts 0.
- **Weights** (``WEIGHTS``) were chosen on one half of the project's labelled set and checked
  on the other half (docs/affinity.md "Combined backend"); the weights of the parts present are
  rescaled to sum to 1, so scores stay in [0, 1].
- **Degrading**: without the embeddings extra the text part is TF-IDF alone. For a pair where
  the paper has no topics or the reviewer declared none there is no topic evidence either way,
  so that pair is scored on text alone (rather than losing the topic share to a zero).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy import sparse

from reviews.affinity import profiles
from reviews.affinity.backends import (
    AffinityBackend,
    PaperText,
    Progress,
    ReviewerText,
    available,
    get_backend,
    register,
)
from reviews.affinity.tfidf import TfidfBackend
from reviews.enums import InterestLevel

EMBEDDING_BACKEND = "minilm"
#: Chosen on half of bench/data/expertise_set.json; see docs/affinity.md "Combined backend".
WEIGHTS: Mapping[str, float] = {"embeddings": 0.4, "tfidf": 0.4, "topics": 0.2}


def topic_overlap(papers: Sequence[PaperText], reviewers: Sequence[ReviewerText]) -> np.ndarray:
    """Papers × reviewers: mean over each paper's topics of the reviewer's level / EXPERT."""
    index: dict = {}
    rows, cols, vals = [], [], []
    for i, paper in enumerate(papers):
        topics = set(paper.topics)
        for topic in topics:
            rows.append(i)
            cols.append(index.setdefault(topic, len(index)))
            vals.append(1.0 / len(topics))
    by_paper = sparse.csr_matrix((vals, (rows, cols)), shape=(len(papers), len(index) or 1))
    rows, cols, vals = [], [], []
    for j, reviewer in enumerate(reviewers):
        for topic, level in reviewer.topics.items():
            if topic in index and level > 0:
                rows.append(index[topic])
                cols.append(j)
                vals.append(min(level, InterestLevel.EXPERT) / InterestLevel.EXPERT)
    by_reviewer = sparse.csr_matrix((vals, (rows, cols)), shape=(len(index) or 1, len(reviewers)))
    return np.asarray((by_paper @ by_reviewer).toarray(), dtype=np.float32)


def embedding_backend() -> AffinityBackend | None:
    """The embedding backend, or None when it is not installed here."""
    if EMBEDDING_BACKEND not in available():
        return None
    return get_backend(EMBEDDING_BACKEND)


@register
class CombinedBackend(AffinityBackend):
    name = "combined"
    label = "Combined (embeddings + TF-IDF + topics)"

    @classmethod
    def display_label(cls) -> str:
        if EMBEDDING_BACKEND in available():
            return cls.label
        return "Combined (TF-IDF + topics; the embeddings extra is not installed)"

    def __init__(
        self,
        *,
        weights: Mapping[str, float] | None = None,
        profile: str = profiles.DEFAULT_METHOD,
        use_embeddings: bool = True,
    ) -> None:
        self.weights = dict(WEIGHTS if weights is None else weights)
        self.profile = profile
        self.use_embeddings = use_embeddings

    def score(
        self,
        papers: Sequence[PaperText],
        reviewers: Sequence[ReviewerText],
        *,
        progress: Progress | None = None,
    ) -> np.ndarray:
        report = progress or (lambda _fraction: None)
        shape = (len(papers), len(reviewers))
        if not papers or not reviewers:
            report(1.0)
            return np.zeros(shape, dtype=np.float32)
        embedder = embedding_backend() if self.use_embeddings else None
        text_parts: dict[str, np.ndarray] = {}
        tfidf_share = 0.2 if embedder is not None and self.weights.get("embeddings") else 1.0
        if self.weights.get("tfidf"):
            tfidf = TfidfBackend(profile=self.profile).score(
                papers, reviewers, progress=lambda f: report(tfidf_share * f)
            )
            text_parts["tfidf"] = tfidf.toarray()
        if embedder is not None and self.weights.get("embeddings"):
            embedded = embedder.score(
                papers, reviewers, progress=lambda f: report(tfidf_share + (1 - tfidf_share) * f)
            )
            text_parts["embeddings"] = (
                embedded.toarray() if sparse.issparse(embedded) else np.asarray(embedded)
            )
        text_weight = sum(self.weights[name] for name in text_parts)
        text = np.zeros(shape, dtype=np.float32)
        for name, part in text_parts.items():
            text += np.float32(self.weights[name]) * part.astype(np.float32, copy=False)

        topic_weight = self.weights.get("topics", 0.0)
        with_topics = np.outer(
            [bool(p.topics) for p in papers], [bool(r.topics) for r in reviewers]
        )
        if not topic_weight or not with_topics.any():
            result = text / text_weight if text_weight else text
        else:
            full = (text + np.float32(topic_weight) * topic_overlap(papers, reviewers)) / (
                text_weight + topic_weight
            )
            text_only = text / text_weight if text_weight else text
            result = np.where(with_topics, full, text_only)
        report(1.0)
        return np.clip(result, 0.0, 1.0).astype(np.float32, copy=False)

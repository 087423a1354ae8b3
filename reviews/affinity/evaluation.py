"""Measuring how well a backend finds the expert for a paper, on a labelled set of researchers.

The labelled set (``bench/data/expertise_set.json``, written for this project) lists
researchers, each with a few papers of their own (title, abstract, topics) and their declared
topics. The protocol, used by ``bench/affinity.py``:

- **Folds.** In fold ``k`` every researcher's ``k``-th paper is a submission and their other
  papers are their profile, so each researcher is the true author of exactly one submission per
  fold and no held-out paper is in anyone's profile. Every paper is held out once: a set of
  ``R`` researchers with ``n`` papers each gives ``n`` folds and ``R × n`` queries.
- **Ranking.** The backend scores every submission of the fold against every researcher's
  profile; for each submission the researchers are ranked by score. The true author is the one
  who wrote it; every other researcher counts as less expert (some are close colleagues on
  purpose, which is what makes the set hard).
- **Metrics**, per query, then averaged over queries (``metrics``):

  - *rank* of the true author: 1 + the number of other researchers scored strictly higher + the
    number scored equal (ties are broken against the true author, so a backend that scores
    everyone 0 ranks them last, not first);
  - *MRR*: the mean of 1 / rank; *recall@k*: the share of queries with rank ≤ k;
  - *loss*: the share of (true author, other researcher) pairs that are ordered wrongly, a pair
    with equal scores counting one half. This follows the spirit of Stelmakh et al.'s gold
    standard loss (a pair of reviewers ordered against their self-reported expertise, ties
    half), with "the author is more expert than anyone else" as the only known order. 0 is
    perfect, 0.5 is chance; lower is better.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from reviews.affinity.backends import PaperText, ReviewerText

#: Declared topic levels in the set: the first topic a researcher lists is their main one.
MAIN_TOPIC_LEVEL, OTHER_TOPIC_LEVEL = 3, 2


@dataclass(frozen=True)
class Fold:
    papers: list[PaperText]
    reviewers: list[ReviewerText]
    #: Column of each paper's true author in ``reviewers``.
    authors: np.ndarray


def load_set(path: Path) -> list[dict]:
    """The researchers of a labelled set file (see the module docstring)."""
    return json.loads(Path(path).read_text())["researchers"]


def folds(researchers: Sequence[dict]) -> list[Fold]:
    """One fold per paper position: every researcher's k-th paper held out as a submission.

    Researchers with fewer papers than others take part only in the folds they have a paper
    for; their profile is always their other papers.
    """
    longest = max(len(r["papers"]) for r in researchers)
    result = []
    for k in range(longest):
        reviewers = [
            ReviewerText(
                id=i,
                documents=tuple(
                    f"{p['title']}\n{p['abstract']}" for j, p in enumerate(r["papers"]) if j != k
                ),
                topics=_declared_topics(r),
            )
            for i, r in enumerate(researchers)
        ]
        papers, authors = [], []
        for i, r in enumerate(researchers):
            if k < len(r["papers"]):
                p = r["papers"][k]
                papers.append(
                    PaperText(
                        id=len(papers),
                        title=p["title"],
                        abstract=p["abstract"],
                        topics=tuple(p.get("topics", ())),
                    )
                )
                authors.append(i)
        result.append(Fold(papers, reviewers, np.asarray(authors)))
    return result


def _declared_topics(researcher: dict) -> dict[str, int]:
    topics = researcher.get("topics", [])
    return {t: MAIN_TOPIC_LEVEL if n == 0 else OTHER_TOPIC_LEVEL for n, t in enumerate(topics)}


def ranks(scores: np.ndarray, authors: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per query (row of ``scores``): the true author's rank (ties against them), and how many
    other columns scored strictly higher and equal."""
    scores = np.asarray(scores, dtype=np.float64)
    own = scores[np.arange(len(authors)), authors][:, None]
    higher = (scores > own).sum(axis=1)
    equal = (scores == own).sum(axis=1) - 1  # less the author's own column
    return 1 + higher + equal, higher, equal


def metrics(scores: np.ndarray, authors: np.ndarray, *, ks: Sequence[int] = (1, 5)) -> dict:
    """MRR, recall@k and the pairwise loss of ``scores`` (queries × researchers) given each
    query's true author column (definitions in the module docstring)."""
    rank, higher, equal = ranks(scores, authors)
    others = scores.shape[1] - 1
    result = {
        "queries": len(authors),
        "mrr": float(np.mean(1.0 / rank)),
        "loss": float(np.mean((higher + 0.5 * equal) / others)),
    }
    for k in ks:
        result[f"recall@{k}"] = float(np.mean(rank <= k))
    return result


Scorer = Callable[[Sequence[PaperText], Sequence[ReviewerText]], np.ndarray]


def evaluate(score: Scorer, researchers: Sequence[dict]) -> dict:
    """Run ``score`` on every fold of the set and return the metrics over all queries."""
    matrices, authors = [], []
    for fold in folds(researchers):
        matrix = score(fold.papers, fold.reviewers)
        matrices.append(matrix.toarray() if sparse.issparse(matrix) else np.asarray(matrix))
        authors.append(fold.authors)
    return metrics(np.vstack(matrices), np.concatenate(authors))


def split(researchers: Sequence[dict], *, parts: int = 2) -> list[list[dict]]:
    """Researchers dealt into ``parts`` interleaved groups (0, 2, 4… and 1, 3, 5…), so that a
    parameter chosen on one group can be checked on another it has never seen. Neighbours in
    the file work in related areas, so both groups cover every area."""
    return [list(researchers[i::parts]) for i in range(parts)]

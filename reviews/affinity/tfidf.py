"""The default backend: TF-IDF cosine similarity with scikit-learn, sparse throughout.

- Vocabulary and IDF are fitted on the conference's own texts (papers and expertise documents
  together), unigrams and bigrams, English stop words removed, sublinear term frequency, terms
  seen in fewer than two documents dropped (they cannot link a paper to a reviewer).
- A paper's document is its title (counted ``TITLE_WEIGHT`` times), abstract and the first
  ``BODY_CHARS`` characters of its extracted PDF text (the introduction, mostly).
- A reviewer's score for a paper combines the cosine similarities between the paper and each of
  the reviewer's expertise documents with ``profiles.aggregate`` (a soft maximum by default,
  ``max`` on request; docs/affinity.md "Reviewer profiles" has the measurements).
- Papers are scored in chunks of ``CHUNK`` rows, so memory is O(chunk × documents) and never
  papers × reviewers × documents.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from reviews.affinity import profiles
from reviews.affinity.backends import (
    AffinityBackend,
    PaperText,
    Progress,
    ReviewerText,
    register,
)

TITLE_WEIGHT = 3
BODY_CHARS = 10_000
CHUNK = 256
#: The soft maximum's temperature for TF-IDF cosines (docs/affinity.md "Reviewer profiles").
TEMPERATURE = 0.2
#: Share of the progress bar spent fitting the vocabulary (the rest is scoring).
FIT_SHARE = 0.4


def paper_document(paper: PaperText) -> str:
    return "\n".join([*([paper.title] * TITLE_WEIGHT), paper.abstract, paper.body[:BODY_CHARS]])


@register
class TfidfBackend(AffinityBackend):
    name = "tfidf"
    label = "TF-IDF (scikit-learn)"

    def __init__(
        self,
        *,
        profile: str = profiles.DEFAULT_METHOD,
        temperature: float = TEMPERATURE,
    ) -> None:
        self.profile, self.temperature = profile, temperature

    def score(
        self,
        papers: Sequence[PaperText],
        reviewers: Sequence[ReviewerText],
        *,
        progress: Progress | None = None,
    ) -> sparse.csr_matrix:
        report = progress or (lambda _fraction: None)
        shape = (len(papers), len(reviewers))
        owners, documents = profiles.flatten(reviewers)
        if not papers or not documents:
            report(1.0)
            return sparse.csr_matrix(shape, dtype=np.float32)

        # Imported here: listing the backends (the chairs' page) must not load scikit-learn.
        from sklearn.feature_extraction.text import TfidfVectorizer

        paper_docs = [paper_document(p) for p in papers]
        vectorizer = TfidfVectorizer(
            sublinear_tf=True,
            stop_words="english",
            ngram_range=(1, 2),
            min_df=2,
            strip_accents="unicode",
            dtype=np.float32,
        )
        try:
            vectorizer.fit(paper_docs + documents)
        except ValueError:
            # No term is shared by two documents: nothing links any paper to any reviewer.
            report(1.0)
            return sparse.csr_matrix(shape, dtype=np.float32)
        paper_vectors = vectorizer.transform(paper_docs)
        # Rows are L2-normalised, so a dot product is the cosine similarity.
        doc_vectors_t = vectorizer.transform(documents).T.tocsr()
        report(FIT_SHARE)

        owner_array = np.asarray(owners)
        starts = profiles.group_starts(owner_array)
        columns = owner_array[starts]
        rows_out, cols_out, vals_out = [], [], []
        for begin in range(0, len(papers), CHUNK):
            block = (paper_vectors[begin : begin + CHUNK] @ doc_vectors_t).toarray()
            best = profiles.aggregate(
                block, starts, method=self.profile, temperature=self.temperature
            )
            r, c = np.nonzero(best > 0)
            rows_out.append(r + begin)
            cols_out.append(columns[c])
            vals_out.append(np.minimum(best[r, c], 1.0))
            done = min(begin + CHUNK, len(papers)) / len(papers)
            report(FIT_SHARE + (1 - FIT_SHARE) * done)
        return sparse.csr_matrix(
            (np.concatenate(vals_out), (np.concatenate(rows_out), np.concatenate(cols_out))),
            shape=shape,
            dtype=np.float32,
        )

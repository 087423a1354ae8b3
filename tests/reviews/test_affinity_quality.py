"""Expertise quality: the evaluation metrics, reviewer-profile aggregation, the combined backend,
the labelled set, and the topics that load_inputs hands to backends."""

import math
from pathlib import Path

import numpy as np
import pytest

from mlsys.conferences import enums as conf_enums
from reviews.affinity import combined, evaluation, profiles, services
from reviews.affinity.backends import PaperText, ReviewerText, available, get_backend
from reviews.affinity.combined import CombinedBackend, topic_overlap
from reviews.affinity.tfidf import TfidfBackend
from reviews.enums import InterestLevel
from tests import factories
from tests.reviews.affinity_fixtures import (
    COMPILER_EXPERTISE,
    COMPILER_PAPER,
    RL_EXPERTISE,
    RL_PAPER,
    require_embeddings,
)

EXPERTISE_SET = Path(__file__).resolve().parents[2] / "bench" / "data" / "expertise_set.json"

# --- Metrics on hand-made rankings -------------------------------------------------------------


def test_metrics_on_a_hand_made_ranking():
    scores = np.array(
        [
            [0.9, 0.1, 0.2, 0.3],  # author 0 first
            [0.5, 0.4, 0.6, 0.1],  # author 1 third (below 0 and 2)
            [0.2, 0.2, 0.2, 0.1],  # author 2 tied with 0 and 1: ranked last of the three
        ]
    )
    result = evaluation.metrics(scores, np.array([0, 1, 2]))
    assert result["queries"] == 3
    # Ranks 1, 3 and 3 (ties against the author).
    assert result["mrr"] == pytest.approx((1 + 1 / 3 + 1 / 3) / 3)
    assert result["recall@1"] == pytest.approx(1 / 3)
    assert result["recall@5"] == 1.0
    # Wrong pairs out of 3 others: 0, 2, and two ties counted ½ each.
    assert result["loss"] == pytest.approx((0 / 3 + 2 / 3 + 1 / 3) / 3)


def test_everyone_scored_zero_is_chance_loss_and_last_rank():
    result = evaluation.metrics(np.zeros((2, 5)), np.array([0, 3]))
    assert result["loss"] == 0.5
    assert result["mrr"] == pytest.approx(1 / 5)
    assert result["recall@1"] == 0.0


def test_folds_hold_each_paper_out_once_and_never_profile_it():
    researchers = [
        {"topics": ["a"], "papers": [{"title": f"r{i}p{k}", "abstract": ""} for k in range(3)]}
        for i in range(2)
    ]
    folds = evaluation.folds(researchers)
    assert len(folds) == 3
    for k, fold in enumerate(folds):
        assert [p.title for p in fold.papers] == [f"r0p{k}", f"r1p{k}"]
        assert fold.authors.tolist() == [0, 1]
        for i, reviewer in enumerate(fold.reviewers):
            assert len(reviewer.documents) == 2
            assert all(f"r{i}p{k}\n" not in d for d in reviewer.documents)
            assert reviewer.topics == {"a": evaluation.MAIN_TOPIC_LEVEL}


def test_split_deals_researchers_alternately():
    assert evaluation.split(list(range(5))) == [[0, 2, 4], [1, 3]]


def test_the_labelled_set_is_complete():
    researchers = evaluation.load_set(EXPERTISE_SET)
    assert len(researchers) >= 40
    titles = [p["title"] for r in researchers for p in r["papers"]]
    assert len(titles) == len(set(titles))
    for r in researchers:
        assert len(r["papers"]) >= 5 and r["topics"]
        assert all(len(p["abstract"].split()) >= 40 for p in r["papers"])


def test_tfidf_finds_most_authors_on_the_labelled_set():
    """A floor far above chance (MRR ≈ 0.1 for 42 researchers), not a benchmark figure."""
    researchers = evaluation.load_set(EXPERTISE_SET)
    result = evaluation.evaluate(lambda p, r: TfidfBackend().score(p, r), researchers)
    assert result["queries"] == 210
    assert result["mrr"] > 0.5 and result["loss"] < 0.1


# --- Reviewer profiles -------------------------------------------------------------------------


def test_max_takes_each_reviewers_best_document():
    block = np.array([[0.1, 0.5, 0.2, 0.0, 0.3], [0.4, 0.0, 0.0, 0.9, 0.1]])
    starts = np.array([0, 3])  # reviewer 0: columns 0-2, reviewer 1: columns 3-4
    result = profiles.aggregate(block, starts, method=profiles.MAX)
    assert result.tolist() == [[0.5, 0.3], [0.4, 0.9]]


def test_softmax_is_the_temperature_scaled_log_mean_exp():
    block = np.array([[0.2, 0.6], [0.0, 0.0]])
    result = profiles.aggregate(block, np.array([0]), method=profiles.SOFTMAX, temperature=0.1)
    expected = 0.1 * math.log((math.exp(2) + math.exp(6)) / 2)
    assert result[0, 0] == pytest.approx(expected)
    assert result[1, 0] == pytest.approx(0.0)


def test_softmax_lies_between_mean_and_max_and_tends_to_each():
    rng = np.random.default_rng(7)
    block = rng.random((4, 6))
    starts = np.array([0, 2, 5])
    best = profiles.aggregate(block, starts, method=profiles.MAX)
    mean = np.add.reduceat(block, starts, axis=1) / np.diff(np.r_[starts, 6])
    soft = profiles.aggregate(block, starts, method=profiles.SOFTMAX, temperature=0.1)
    assert (soft <= best + 1e-12).all() and (soft >= mean - 1e-12).all()
    cold = profiles.aggregate(block, starts, method=profiles.SOFTMAX, temperature=1e-4)
    hot = profiles.aggregate(block, starts, method=profiles.SOFTMAX, temperature=1e4)
    assert cold == pytest.approx(best, abs=1e-3)
    assert hot == pytest.approx(mean, abs=1e-3)


def test_softmax_prefers_a_second_matching_paper_which_max_ignores():
    block = np.array([[0.6, 0.55, 0.6, 0.0]])
    starts = np.array([0, 2])  # two strong papers vs one strong and one unrelated
    soft = profiles.aggregate(block, starts, method=profiles.SOFTMAX, temperature=0.1)
    best = profiles.aggregate(block, starts, method=profiles.MAX)
    assert best[0, 0] == best[0, 1]
    assert soft[0, 0] > soft[0, 1]


def test_unknown_method_and_bad_temperature_are_refused():
    with pytest.raises(ValueError, match="Unknown profile aggregation"):
        profiles.aggregate(np.zeros((1, 1)), np.array([0]), method="mean")
    with pytest.raises(ValueError, match="temperature"):
        profiles.aggregate(np.zeros((1, 1)), np.array([0]), temperature=0)


# --- The combined backend ----------------------------------------------------------------------


def _texts():
    papers = [
        PaperText(1, *COMPILER_PAPER, topics=("compilers",)),
        PaperText(2, *RL_PAPER, topics=("rl",)),
    ]
    reviewers = [
        ReviewerText(10, ["\n".join(d) for d in COMPILER_EXPERTISE], {"compilers": 3}),
        ReviewerText(11, ["\n".join(d) for d in RL_EXPERTISE], {"rl": 3, "compilers": 1}),
        ReviewerText(12, [], {"compilers": 2}),
    ]
    return papers, reviewers


def test_topic_overlap_is_the_mean_declared_level_over_the_papers_topics():
    papers = [PaperText(1, "a", topics=("x", "y")), PaperText(2, "b")]
    reviewers = [ReviewerText(1, topics={"x": 3, "y": 1}), ReviewerText(2, topics={"z": 3})]
    overlap = topic_overlap(papers, reviewers)
    assert overlap == pytest.approx(np.array([[(1 + 1 / 3) / 2, 0], [0, 0]]))


def test_combined_without_embeddings_orders_experts_first(monkeypatch):
    monkeypatch.setattr(combined, "EMBEDDING_BACKEND", "not-installed")
    papers, reviewers = _texts()
    matrix = CombinedBackend().score(papers, reviewers)
    assert matrix.shape == (2, 3) and ((matrix >= 0) & (matrix <= 1)).all()
    assert matrix[0, 0] > matrix[0, 1]  # compiler paper: compiler expert first
    assert matrix[1, 1] > matrix[1, 0]  # RL paper: RL expert first
    # No papers of their own: topics alone, and only for the paper in their topic.
    assert matrix[0, 2] > 0 and matrix[1, 2] == 0


def test_combined_without_embeddings_is_the_weighted_tfidf_and_topics(monkeypatch):
    monkeypatch.setattr(combined, "EMBEDDING_BACKEND", "not-installed")
    papers, reviewers = _texts()
    tfidf = TfidfBackend().score(papers, reviewers).toarray()
    topics = topic_overlap(papers, reviewers)
    w = combined.WEIGHTS
    expected = (w["tfidf"] * tfidf + w["topics"] * topics) / (w["tfidf"] + w["topics"])
    assert CombinedBackend().score(papers, reviewers) == pytest.approx(expected, abs=1e-6)


def test_pairs_without_topic_evidence_are_scored_on_text_alone(monkeypatch):
    monkeypatch.setattr(combined, "EMBEDDING_BACKEND", "not-installed")
    papers = [PaperText(1, *COMPILER_PAPER), PaperText(2, *RL_PAPER, topics=("rl",))]
    reviewers = [ReviewerText(1, ["\n".join(d) for d in COMPILER_EXPERTISE])]
    tfidf = TfidfBackend().score(papers, reviewers).toarray()
    assert CombinedBackend().score(papers, reviewers) == pytest.approx(tfidf, abs=1e-6)


def test_combined_with_embeddings_orders_experts_first_and_adds_the_embedding_part():
    require_embeddings()
    embedder = combined.embedding_backend()
    papers, reviewers = _texts()
    matrix = CombinedBackend().score(papers, reviewers)
    assert matrix[0, 0] > matrix[0, 1] and matrix[1, 1] > matrix[1, 0]
    w = combined.WEIGHTS
    expected = (
        w["embeddings"] * np.asarray(embedder.score(papers, reviewers))
        + w["tfidf"] * TfidfBackend().score(papers, reviewers).toarray()
        + w["topics"] * topic_overlap(papers, reviewers)
    ) / sum(w.values())
    assert matrix == pytest.approx(expected, abs=1e-5)


def test_combined_is_registered_and_scores_empty_inputs():
    assert "combined" in available()
    backend = get_backend("combined")
    assert backend.score([], [ReviewerText(1, ["x"])]).shape == (0, 1)


# --- load_inputs hands topics to backends ------------------------------------------------------


def _conference_with(conference, n: int):
    topics = [factories.TopicFactory(conference=conference) for _ in range(3)]
    for i in range(n):
        submission = factories.SubmissionFactory(conference=conference, number=100 + i)
        submission.topics.set(topics[: 1 + i % 3])
        user = factories.UserFactory()
        factories.MembershipFactory(
            conference=conference, user=user, role=conf_enums.Role.PC_MEMBER
        )
        factories.ExpertiseFactory(user=user)
        factories.TopicInterestFactory(
            conference=conference, topic=topics[i % 3], user=user, level=InterestLevel.EXPERT
        )
        factories.TopicInterestFactory(
            conference=conference, topic=topics[(i + 1) % 3], user=user, level=InterestLevel.NONE
        )
    return topics


@pytest.mark.parametrize("n", [1, 10])
def test_load_inputs_fills_topics_with_a_constant_number_of_queries(
    conference, django_assert_num_queries, n
):
    topics = _conference_with(conference, n)
    with django_assert_num_queries(6):
        inputs = services.load_inputs(conference)
    assert len(inputs.papers) == n and len(inputs.reviewers) == n
    by_number = dict(zip(inputs.numbers, inputs.papers, strict=True))
    assert set(by_number[100].topics) == {topics[0].pk}
    if n > 2:
        assert set(by_number[102].topics) == {t.pk for t in topics}
    # Declared levels by topic id; a "none" level is left out.
    assert sorted(level for r in inputs.reviewers for level in r.topics.values()) == [3] * n

"""The dashboard's per-paper statistics: scores, sides, gap, calibration, conflicts redacted,
and a constant number of queries whatever the number of papers."""

import pytest
from django.core.cache import cache

from decisions.dashboard.stats import dashboard
from mlsys.conferences.viewer import Viewer
from tests import factories

from .conftest import scored


def rows_by_number(board):
    return {row.number: row for row in board.rows}


def test_scores_sides_and_gap(conference, chair, make_scored_paper):
    paper = make_scored_paper(ml=[6, 5], systems=[2])
    row = rows_by_number(dashboard(conference, Viewer(chair)))[paper.number]
    merit = row.scores["overall_merit"]
    assert (merit.mean, merit.median, merit.low, merit.high, merit.count) == (
        pytest.approx(13 / 3),
        5.0,
        2.0,
        6.0,
        3,
    )
    assert merit.spread == 4.0
    assert row.ml_mean == 5.5 and row.systems_mean == 2.0
    assert row.gap == pytest.approx(3.5)
    assert row.done == {"ml": 2, "systems": 1, "other": 0}
    assert row.assigned == {"ml": 2, "systems": 1, "other": 0}
    assert row.weighted == pytest.approx(13 / 3)  # equal confidence: the plain mean
    assert row.calibrated is not None


def test_confidence_weights_the_mean(conference, chair, review_form):
    paper = factories.SubmissionFactory(conference=conference)
    scored(paper, factories.UserFactory(), review_form, 6, confidence=4)
    scored(paper, factories.UserFactory(), review_form, 2, confidence=1)
    row = rows_by_number(dashboard(conference, Viewer(chair)))[paper.number]
    assert row.weighted == pytest.approx((6 * 4 + 2 * 1) / 5)
    assert row.done["other"] == 2  # no committee side


def test_drafts_and_unreleased_work_do_not_count(conference, chair, review_form):
    paper = factories.SubmissionFactory(conference=conference)
    scored(paper, factories.UserFactory(), review_form, 6, state="draft")
    row = rows_by_number(dashboard(conference, Viewer(chair)))[paper.number]
    assert row.scores == {} and row.assigned_total == 1 and row.missing == 1


def test_a_conflicted_chair_gets_the_row_redacted(
    conference, chair, conflicted_chair, make_scored_paper
):
    mine = make_scored_paper(ml=[6], systems=[1])
    other = make_scored_paper(ml=[4], systems=[4])
    factories.ConflictFactory(submission=mine, user=conflicted_chair, state="confirmed")
    board = dashboard(conference, Viewer(conflicted_chair))
    row = rows_by_number(board)[mine.number]
    assert row.conflicted and row.scores == {} and row.calibrated is None
    assert row.done_total == 0 and row.gap is None and row.outcome_id is None
    assert rows_by_number(board)[other.number].scores
    assert board.conflicted == 1
    # The fit leaves the conflicted paper out: its reviewers have no bias from it.
    mine_reviewers = set(mine.assignments.values_list("reviewer_id", flat=True))
    assert not mine_reviewers & set(board.reviewer_bias)
    # The unconflicted chair sees everything.
    assert rows_by_number(dashboard(conference, Viewer(chair)))[mine.number].scores


def test_new_reviews_are_seen_despite_the_cache(conference, chair, make_scored_paper, review_form):
    paper = make_scored_paper(ml=[3])
    assert rows_by_number(dashboard(conference, Viewer(chair)))[paper.number].done_total == 1
    scored(paper, factories.UserFactory(), review_form, 5)
    assert rows_by_number(dashboard(conference, Viewer(chair)))[paper.number].done_total == 2


@pytest.mark.parametrize("papers", [1, 10])
def test_queries_do_not_grow_with_papers(
    conference, chair, make_scored_paper, django_assert_num_queries, papers
):
    for i in range(papers):
        make_scored_paper(ml=[i % 6 + 1], systems=[3])
    cache.clear()
    with django_assert_num_queries(14):  # + fields, sides, assignments, scores; outcomes created
        dashboard(conference, Viewer(chair))
    with django_assert_num_queries(8):  # conflicts (3), fingerprint, papers, topics, tags, outcomes
        dashboard(conference, Viewer(chair))

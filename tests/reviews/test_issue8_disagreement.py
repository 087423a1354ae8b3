"""Issue 8: the "ML and Systems disagree" flag reads only scores about the paper's merit,
never the reviewer's confidence or expertise."""

from reviews.discussion import page as paper_page
from reviews.review_forms import form_for
from tests import factories
from tests.reviews import paper_fixtures
from tests.reviews.paper_fixtures import ML_TEXT, SYSTEMS_TEXT, answers, write_review
from tests.reviews.reviewing_helpers import login


def _rows(chair, paper) -> dict:
    return {row.field.key: row for row in paper_page.build(chair, paper).scores}


def test_confidence_gap_between_sides_is_not_a_disagreement(
    client, paper, chair, ml_reviewer, systems_reviewer
):
    write_review(paper, ml_reviewer, answers(ML_TEXT, merit=5, confidence=1))
    write_review(paper, systems_reviewer, answers(SYSTEMS_TEXT, merit=5, confidence=4))
    rows = _rows(chair, paper)
    assert (rows["confidence"].ml_mean, rows["confidence"].systems_mean) == (1, 4)
    assert rows["confidence"].disagreement is False
    assert not any(row.disagreement for row in rows.values())
    login(client, chair)
    html = client.get(paper_fixtures.paper_url(paper)).content.decode()
    assert "ML and Systems disagree" not in html
    assert 'class="disagreement"' not in html


def test_custom_expertise_score_is_not_a_disagreement_but_merit_still_is(
    paper, chair, ml_reviewer, systems_reviewer
):
    form = form_for(paper)
    factories.ReviewFieldFactory(
        form=form,
        key="reviewer_expertise",
        label="Your expertise in the area",
        kind="score",
        scale=[{"value": 1, "label": "Outsider"}, {"value": 4, "label": "Expert"}],
        order=99,
    )
    write_review(paper, ml_reviewer, answers(ML_TEXT, merit=1, reviewer_expertise=1))
    write_review(paper, systems_reviewer, answers(SYSTEMS_TEXT, merit=6, reviewer_expertise=4))
    rows = _rows(chair, paper)
    assert rows["reviewer_expertise"].disagreement is False
    assert rows["overall_merit"].disagreement is True
    assert {key for key, row in rows.items() if row.disagreement} == {"overall_merit"}

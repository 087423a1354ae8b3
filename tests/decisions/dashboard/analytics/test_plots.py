"""The decision plots: what each figure counts, that it is accessible SVG with a data table,
who may see the page, the conflicted chair's view and constant queries."""

import pytest
from django.core.cache import cache

from decisions.dashboard import plots
from decisions.dashboard.stats import dashboard
from mlsys.conferences.viewer import Viewer
from tests import factories


def by_key(figures):
    return {figure.key: figure for figure in figures}


def test_histogram_counts_every_scored_paper_in_its_bin(conference, chair, make_scored_paper):
    make_scored_paper(ml=[6], systems=[6])
    make_scored_paper(ml=[2], systems=[2])
    make_scored_paper(ml=[2], systems=[3])
    factories.SubmissionFactory(conference=conference)  # no reviews: not drawn, said so
    board = dashboard(conference, Viewer(chair))
    figure = plots.histogram(board, "mean")
    counts = dict(figure.table)
    assert counts["5.5–6"] == 1  # the top bin holds the scale's top
    assert counts["2–2.5"] == 1 and counts["2.5–3"] == 1
    assert sum(counts.values()) == 3
    assert figure.note == "1 paper without scores not shown."
    assert 'role="img"' in figure.svg and "<title" in figure.svg and "<desc" in figure.svg
    calibrated = plots.histogram(board, "calibrated")
    assert sum(n for _, n in calibrated.table) == 3


def test_accept_rate_by_topic_counts_decided_papers_only(
    conference, chair, make_scored_paper, decide
):
    topic, other = conference.topics.all()[:2]
    a, b, c = (make_scored_paper(ml=[4], systems=[4]) for _ in range(3))
    for paper in (a, b, c):
        paper.topics.set([topic])
    c.topics.add(other)
    decide(a, "Accept (poster)")
    decide(b, "Reject")
    board = dashboard(conference, Viewer(chair))
    figure = plots.accept_rate_by_topic(board, {topic.pk: topic.name, other.pk: other.name})
    rows = {line[0]: line for line in figure.table}
    assert rows[topic.name] == (topic.name, 3, 2, 1, "50%")
    assert rows[other.name] == (other.name, 1, 0, 0, "0%")


def test_scatter_colours_points_by_decision_kind(conference, chair, make_scored_paper, decide):
    accepted = make_scored_paper(ml=[6], systems=[4])
    rejected = make_scored_paper(ml=[1], systems=[3])
    make_scored_paper(ml=[3], systems=[3])
    make_scored_paper(ml=[5])  # one side only: not in the scatter
    decide(accepted, "Accept (oral)")
    decide(rejected, "Reject")
    figure = plots.sides_scatter(dashboard(conference, Viewer(chair)))
    rows = {line[0]: line for line in figure.table}
    assert rows["Accept"] == ("Accept", 1, "+2.00", 1, 0)
    assert rows["Reject"] == ("Reject", 1, "-2.00", 0, 1)
    assert rows["Undecided"][1] == 1
    assert figure.svg.count("<circle") == 3 + 3  # three papers, three legend dots
    assert 'class="diagonal"' in figure.svg
    assert figure.note == "3 of 4 papers have scores from both sides."


def test_calibration_is_sorted_and_names_reviewers_escaped(conference, chair, review_form):
    from tests.decisions.dashboard.conftest import scored

    harsh = factories.UserFactory(name="<b>Harsh</b>")
    kind = factories.UserFactory(name="Kind")
    for _ in range(3):
        paper = factories.SubmissionFactory(conference=conference)
        scored(paper, harsh, review_form, 2)
        scored(paper, kind, review_form, 6)
    board = dashboard(conference, Viewer(chair))
    names = {harsh.pk: harsh.name, kind.pk: kind.name}
    figure = plots.calibration(board, names)
    assert [line[0] for line in figure.table] == ["<b>Harsh</b>", "Kind"]
    assert figure.table[0][1].startswith("-") and figure.table[1][1].startswith("+")
    assert figure.table[0][2] == "3"
    assert "<b>Harsh" not in figure.svg and "&lt;b&gt;Harsh" in figure.svg


def test_page_draws_every_figure_with_its_table(chair_client, make_scored_paper, url):
    make_scored_paper(ml=[5], systems=[3])
    response = chair_client.get(url("plots"))
    assert response.status_code == 200
    body = response.content.decode()
    for title in (
        "Score distribution",
        "Accept rate by topic",
        "ML vs Systems mean score per paper",
        "Reviewer calibration",
    ):
        assert title in body
    assert body.count("<svg") == 4 and body.count("Data table:") == 4
    assert "Reviewer 1" in body  # chairs see reviewer names


def test_bad_score_choice_falls_back_to_calibrated(chair_client, make_scored_paper, url):
    make_scored_paper(ml=[5], systems=[3])
    response = chair_client.get(url("plots") + "?score=<script>")
    assert response.status_code == 200
    assert response.context["kind"] == "calibrated"


def test_conflicted_chair_plots_leave_the_paper_out(
    client, conference, conflicted_chair, make_scored_paper, url
):
    mine = make_scored_paper(ml=[6], systems=[1], title="Secret paper")
    make_scored_paper(ml=[3], systems=[3])
    factories.ConflictFactory(submission=mine, user=conflicted_chair, state="confirmed")
    client.force_login(conflicted_chair)
    response = client.get(url("plots"))
    assert response.status_code == 200
    figures = by_key(response.context["figures"])
    assert figures["sides"].table[2][1] == 1  # only the other paper is drawn
    assert sum(n for _, n in figures["histogram"].table) == 1
    mine_reviewers = {a.reviewer.name for a in mine.assignments.all()}
    names = {line[0] for line in figures["calibration"].table}
    assert not mine_reviewers & names
    assert "1 paper you are conflicted with is left out here" in response.content.decode()


@pytest.mark.parametrize("role", ["ml_reviewer", "author", "outsider"])
def test_refused_roles_get_404(client, request, conference, role, url):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url("plots")).status_code == 404


def test_anonymous_is_sent_to_log_in(client, conference, url):
    response = client.get(url("plots"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("papers", [1, 10])
def test_queries_do_not_grow_with_papers(
    chair_client, make_scored_paper, decide, url, django_assert_num_queries, papers
):
    for i in range(papers):
        paper = make_scored_paper(ml=[i % 6 + 1], systems=[3])
        if i % 2:
            decide(paper, "Reject")
    cache.clear()  # cold: the scores are read and the fit computed (the same queries, once)
    with django_assert_num_queries(20):
        chair_client.get(url("plots"))

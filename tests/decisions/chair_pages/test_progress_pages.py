"""The reviewing progress page at scale (issue 11): 100 rows a table, filters kept across
pages, CSV exports of every row, reminders that return to the same page."""

import csv
import io

import pytest

from reviews.models import Assignment
from tests import factories
from tests.decisions.chair_pages.conftest import conflict, csv_text, url
from tests.reviews.response_fixtures import assign, make_paper, review


def test_papers_are_paged_and_the_pager_keeps_the_filters(client, world, chair, two_per_page):
    client.force_login(chair)

    first = client.get(url("progress", world.conference), {"pq": "a"}).content.decode()
    second = client.get(url("progress", world.conference), {"pq": "a", "ppage": 2})

    # "a" is in all five titles: three pages of two.
    assert "Alpha kernels" in first and "Gamma compiler" not in first
    assert "Page 1 of 3 (1–2 of 5)" in first
    assert "pq=a&amp;ppage=2" in first
    html = second.content.decode()
    assert "Gamma compiler" in html and "Alpha kernels" not in html
    assert [p.number for p in second.context["paper_page"]] == [3, 4]


def test_paper_and_reviewer_filters_apply_on_the_server(
    client, world, chair, ml_reviewer, systems_reviewer
):
    assign(world.papers[1], factories.UserFactory(name="Late Larry"))
    client.force_login(chair)

    response = client.get(
        url("progress", world.conference), {"pstatus": "missing", "rside": "systems"}
    )

    assert [p.number for p in response.context["paper_page"]] == [2]
    assert [r.user for r in response.context["reviewer_page"]] == [systems_reviewer]


def test_filtering_one_table_keeps_the_other_tables_filters(client, world, chair):
    client.force_login(chair)

    response = client.get(url("progress", world.conference), {"pq": "beta", "rq": "mia"})

    assert ("pq", "beta") in response.context["reviewer_keep"]
    assert ("rq", "mia") in response.context["paper_keep"]
    assert ("pq", "beta") not in response.context["paper_keep"]


@pytest.mark.parametrize("params", [{"ppage": "x", "rside": "nope"}, {"pq": "9" * 30}])
def test_bad_filter_values_are_ignored(client, world, chair, params):
    client.force_login(chair)

    response = client.get(url("progress", world.conference), params)

    assert response.status_code == 200
    assert response.context["paper_page"].number == 1


def test_exports_give_every_row_of_the_filtered_table(client, world, chair, two_per_page):
    client.force_login(chair)

    papers = csv_text(client.get(url("progress_export", world.conference), {"table": "papers"}))
    reviewers = csv_text(client.get(url("progress_export", world.conference)))
    filtered = csv_text(
        client.get(url("progress_export", world.conference), {"table": "papers", "pq": "gamma"})
    )

    rows = list(csv.DictReader(io.StringIO(papers)))
    assert [r["number"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert rows[0]["title"] == "Alpha kernels" and rows[0]["submitted"] == "2"
    names = {r["name"]: r for r in csv.DictReader(io.StringIO(reviewers))}
    assert names["Mia Learner"]["assigned"] == "5" and names["Mia Learner"]["side"] == "ML"
    assert [r["title"] for r in csv.DictReader(io.StringIO(filtered))] == ["Gamma compiler"]


def test_a_conflicted_chairs_export_leaves_the_paper_out_like_the_page(
    client, world, conflicted_chair
):
    conflict(world.papers[2], conflicted_chair)
    client.force_login(conflicted_chair)

    page = client.get(url("progress", world.conference)).content.decode()
    papers = csv_text(client.get(url("progress_export", world.conference), {"table": "papers"}))
    reviewers = csv_text(client.get(url("progress_export", world.conference)))

    assert "Gamma compiler" not in page and "Gamma compiler" not in papers
    counts = {r["name"]: r["assigned"] for r in csv.DictReader(io.StringIO(reviewers))}
    assert counts == {"Mia Learner": "4", "Sam Kernel": "4"}


@pytest.mark.parametrize("who", ["ml_reviewer", "author", "outsider"])
def test_export_is_404_for_non_chairs(client, world, who, request):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url("progress_export", world.conference)).status_code == 404


def test_export_sends_anonymous_visitors_to_log_in(client, world):
    assert client.get(url("progress_export", world.conference)).status_code == 302


def test_a_reminder_returns_to_the_page_and_filters_it_came_from(
    client, world, chair, ml_reviewer, django_capture_on_commit_callbacks
):
    assign(world.papers[0], factories.UserFactory(name="Late Larry"))
    larry = Assignment.objects.get(reviewer__name="Late Larry")
    client.force_login(chair)
    back = url("progress", world.conference) + "?rstatus=unfinished&rpage=1"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("progress_remind", world.conference),
            {"reviewer": larry.reviewer_id, "next": back},
        )

    assert response.status_code == 302 and response["Location"] == back
    larry.refresh_from_db()
    assert larry.last_reminded_at is not None


def test_a_reminder_never_sends_the_chair_off_site(client, world, chair):
    client.force_login(chair)

    response = client.post(
        url("progress_remind", world.conference),
        {"all": "1", "next": "https://evil.example.com/"},
    )

    assert response["Location"] == url("progress", world.conference)


@pytest.mark.parametrize("count", [1, 10])
def test_export_query_count_is_constant(
    client, conference, author, chair, ml_reviewer, count, django_assert_num_queries
):
    for number in range(1, count + 1):
        review(make_paper(conference, author, number=number), ml_reviewer)
    client.force_login(chair)

    with django_assert_num_queries(18):
        text = csv_text(client.get(url("progress_export", conference), {"table": "papers"}))

    assert text.count("\n") == count + 1

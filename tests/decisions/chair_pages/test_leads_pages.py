"""The discussion leads page at scale (issue 11): 100 papers a page, filters kept across pages,
a CSV export of every row, lead changes that return to the same page."""

import csv
import io
from urllib.parse import urlencode

import pytest

from reviews.models import MetaReview
from tests.decisions.chair_pages.conftest import conflict, csv_text, url
from tests.reviews.response_fixtures import make_paper, review


def test_papers_are_paged_and_the_pager_keeps_the_filters(client, world, chair, two_per_page):
    client.force_login(chair)

    first = client.get(url("leads", world.conference), {"show": "none"})
    second = client.get(url("leads", world.conference), {"show": "none", "page": 2})

    # Paper 1 has a lead: four papers without one, two a page.
    assert [p.number for p in first.context["papers"]] == [2, 3]
    assert "show=none&amp;page=2" in first.content.decode()
    assert [p.number for p in second.context["papers"]] == [4, 5]
    assert "4 papers without a lead" in first.content.decode()


@pytest.mark.parametrize(
    ("params", "numbers"),
    [
        ({"q": "gamma"}, [3]),
        ({"q": "#4"}, [4]),
        ({"show": "not_started"}, [1]),
        ({"show": "submitted"}, []),
        ({"track": "abc", "show": "bogus", "page": "-3"}, [1, 2, 3, 4, 5]),
        ({"q": "9" * 30}, []),
    ],
)
def test_filters_apply_on_the_server_and_bad_values_are_ignored(
    client, world, chair, params, numbers
):
    client.force_login(chair)

    response = client.get(url("leads", world.conference), params)

    assert response.status_code == 200
    assert [p.number for p in response.context["papers"]] == numbers


def test_export_gives_every_row_of_the_filtered_table(client, world, chair, two_per_page):
    client.force_login(chair)

    every = csv_text(client.get(url("leads_export", world.conference)))
    without = csv_text(client.get(url("leads_export", world.conference), {"show": "none"}))

    rows = list(csv.DictReader(io.StringIO(every)))
    assert [r["number"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert rows[0]["lead"] == "Mia Learner" and rows[0]["meta_review"] == "Not started"
    assert rows[0]["reviewers"] == "Mia Learner (ML); Sam Kernel (Systems)"
    assert [r["number"] for r in csv.DictReader(io.StringIO(without))] == ["2", "3", "4", "5"]


def test_a_conflicted_chairs_export_leaves_the_paper_out_like_the_page(
    client, world, conflicted_chair
):
    conflict(world.papers[0], conflicted_chair)
    client.force_login(conflicted_chair)

    page = client.get(url("leads", world.conference)).content.decode()
    text = csv_text(client.get(url("leads_export", world.conference)))

    assert "Alpha kernels" not in page and "Alpha kernels" not in text
    assert "Mia Learner" not in text.split("\n")[1:][0].split(",")[4]  # no lead row leaks


@pytest.mark.parametrize("who", ["ml_reviewer", "author", "outsider"])
def test_export_is_404_for_non_chairs(client, world, who, request):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url("leads_export", world.conference)).status_code == 404


def test_export_sends_anonymous_visitors_to_log_in(client, world):
    assert client.get(url("leads_export", world.conference)).status_code == 302


def test_assigning_a_lead_returns_to_the_page_and_filters_it_came_from(
    client, world, chair, systems_reviewer
):
    client.force_login(chair)
    back = url("leads", world.conference) + "?show=none&page=2"
    target = url("lead_assign", world.conference, number=4)

    form_page = client.get(target, {"next": back})
    response = client.post(f"{target}?{urlencode({'next': back})}", {"lead": systems_reviewer.pk})

    assert form_page.context["back"] == back
    assert response.status_code == 302 and response["Location"] == back
    assert MetaReview.objects.get(submission=world.papers[3]).lead == systems_reviewer


def test_auto_assign_returns_to_the_page_it_came_from(client, world, chair):
    client.force_login(chair)
    back = url("leads", world.conference) + "?page=2"

    response = client.post(url("leads_auto", world.conference), {"next": back})

    assert response["Location"] == back
    assert MetaReview.objects.count() == 5


def test_the_leads_page_lists_no_row_link_through_url_reversal_per_row(client, world, chair):
    """Row links are built from one reversed pattern per page (issue 11): same addresses."""
    client.force_login(chair)

    html = client.get(url("leads", world.conference)).content.decode()

    assert f'href="{url("paper", world.conference, number=3)}"' in html
    assert f'href="{url("meta_review", world.conference, number=1)}"' in html
    assert f'href="{url("lead_assign", world.conference, number=5)}?next=' in html


@pytest.mark.parametrize("count", [1, 10])
def test_export_query_count_is_constant(
    client, conference, author, chair, ml_reviewer, count, django_assert_num_queries
):
    for number in range(1, count + 1):
        review(make_paper(conference, author, number=number), ml_reviewer)
    client.force_login(chair)

    with django_assert_num_queries(13):
        text = csv_text(client.get(url("leads_export", conference)))

    assert text.count("\n") == count + 1

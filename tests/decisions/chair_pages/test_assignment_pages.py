"""The assignment overview and a proposal's page at scale (issue 11): 100 papers a page,
filters kept across pages, CSV exports of every row, row actions that return to the same page,
and a conflicted chair who gets in the files exactly what the pages show them."""

import csv
import io
from urllib.parse import urlencode

import pytest

from reviews.models import ProposedPair
from tests import factories
from tests.decisions.chair_pages.conftest import conflict, csv_text, url
from tests.reviews.response_fixtures import make_paper


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_overview_papers_are_paged_and_the_pager_keeps_the_filters(
    client, world, chair, two_per_page
):
    client.force_login(chair)

    first = client.get(url("assignment", world.conference), {"q": "e"})
    second = client.get(url("assignment", world.conference), {"q": "e", "page": 2})

    # "e" is in Alpha kernels, Beta scheduler, Gamma compiler, Delta memory, Epsilon cache.
    assert [r.submission.number for r in first.context["papers"]] == [1, 2]
    assert "q=e&amp;page=2" in first.content.decode()
    assert [r.submission.number for r in second.context["papers"]] == [3, 4]
    assert [r["reviewer"].label for r in first.context["reviewers"]] == [
        "Mia Learner",
        "Sam Kernel",
    ]


@pytest.mark.parametrize(
    ("params", "numbers"),
    [
        ({"show": "short"}, [6]),
        ({"show": "ok", "q": "#2"}, [2]),
        ({"track": "999", "show": "nope", "page": "x"}, [1, 2, 3, 4, 5, 6]),
    ],
)
def test_overview_filters_apply_on_the_server_and_bad_values_are_ignored(
    client, world, chair, author, params, numbers
):
    make_paper(world.conference, author, number=6, title="Zeta without reviewers")
    world.conference.tracks.update(min_ml_reviewers=1, min_systems_reviewers=1)
    world.conference.tracks.update(reviewers_per_paper=2)
    client.force_login(chair)

    response = client.get(url("assignment", world.conference), params)

    assert response.status_code == 200
    assert [r.submission.number for r in response.context["papers"]] == numbers


def test_overview_loads_filter_and_page_separately_from_the_papers(
    client, world, chair, two_per_page
):
    client.force_login(chair)

    response = client.get(url("assignment", world.conference), {"lside": "systems", "page": 2})

    assert [r["reviewer"].label for r in response.context["reviewers"]] == ["Sam Kernel"]
    assert [r.submission.number for r in response.context["papers"]] == [3, 4]
    assert ("lside", "systems") in response.context["paper_keep"]


def test_overview_exports_every_paper_and_every_load(client, world, chair, two_per_page):
    client.force_login(chair)

    papers = rows_of(csv_text(client.get(url("assignment_export", world.conference))))
    loads = rows_of(
        csv_text(client.get(url("assignment_export", world.conference), {"table": "loads"}))
    )

    assert [r["number"] for r in papers] == ["1", "2", "3", "4", "5"]
    assert papers[0]["reviewers"] == "Mia Learner (ML); Sam Kernel (Systems)"
    assert {r["reviewer"]: r["load"] for r in loads} == {"Mia Learner": "5", "Sam Kernel": "5"}


def test_a_conflicted_chairs_overview_export_hides_what_the_page_hides(
    client, world, conflicted_chair
):
    conflict(world.papers[1], conflicted_chair)
    client.force_login(conflicted_chair)

    page = client.get(url("assignment", world.conference))
    papers = rows_of(csv_text(client.get(url("assignment_export", world.conference))))
    loads = rows_of(
        csv_text(client.get(url("assignment_export", world.conference), {"table": "loads"}))
    )

    [row] = [r for r in page.context["papers"] if r.submission.number == 2]
    assert row.conflicted and row.reviewers == []
    [line] = [r for r in papers if r["number"] == "2"]
    assert line["reviewers"] == "" and line["coverage"] == "conflicted (not shown)"
    # Loads leave the paper out, on the page and in the file.
    assert {r["reviewer"]: r["load"] for r in loads} == {"Mia Learner": "4", "Sam Kernel": "4"}


def test_proposal_changes_are_paged_and_filtered_by_change(client, world, chair, two_per_page):
    ProposedPair.objects.filter(submission=world.papers[4], user__name="Sam Kernel").update(
        change="new"
    )
    client.force_login(chair)
    target = url("proposal", world.conference, pk=world.proposal.pk)

    second = client.get(target, {"page": 2})
    new_only = client.get(target, {"change": "new"})

    assert [r.submission.number for r in second.context["papers"]] == [3, 4]
    assert [r.submission.number for r in new_only.context["papers"]] == [5]
    html = second.content.decode()
    assert (
        f'action="{url("proposal_remove", world.conference, pk=world.proposal.pk, pair=0)}'
        not in html
    )


def test_removing_a_pair_returns_to_the_page_and_filters_it_came_from(client, world, chair):
    client.force_login(chair)
    pair = ProposedPair.objects.filter(submission=world.papers[3]).first()
    back = url("proposal", world.conference, pk=world.proposal.pk) + "?q=delta&page=1"

    response = client.post(
        url("proposal_remove", world.conference, pk=world.proposal.pk, pair=pair.pk),
        {"next": back},
    )

    assert response.status_code == 302 and response["Location"] == back
    pair.refresh_from_db()
    assert pair.change == "removed"


def test_the_proposal_page_links_row_actions_with_the_way_back(client, world, chair):
    client.force_login(chair)
    target = url("proposal", world.conference, pk=world.proposal.pk)

    html = client.get(target, {"q": "gamma"}).content.decode()

    pair = ProposedPair.objects.filter(submission=world.papers[2]).order_by("-quality").first()
    swap = url("proposal_swap", world.conference, pk=world.proposal.pk, pair=pair.pk)
    back = urlencode({"next": f"{target}?q=gamma"}, safe="/")
    assert f'href="{swap}?{back}"' in html
    remove = url("proposal_remove", world.conference, pk=world.proposal.pk, pair=pair.pk)
    assert f'action="{remove}"' in html


def test_proposal_export_gives_every_pair_of_the_filtered_papers(client, world, chair):
    client.force_login(chair)
    export = url("proposal_export", world.conference, pk=world.proposal.pk)

    every = rows_of(csv_text(client.get(export)))
    gamma = rows_of(csv_text(client.get(export, {"q": "gamma"})))

    assert len(every) == 10
    assert every[0]["reviewer"] == "Mia Learner" and every[0]["side"] == "ML"
    assert every[0]["change"] == "Kept" and every[0]["quality"] == "0.9"
    assert {r["number"] for r in gamma} == {"3"}


def test_a_conflicted_chairs_proposal_export_leaves_the_paper_out_like_the_page(
    client, world, conflicted_chair
):
    conflict(world.papers[0], conflicted_chair)
    client.force_login(conflicted_chair)

    page = client.get(url("proposal", world.conference, pk=world.proposal.pk))
    text = csv_text(client.get(url("proposal_export", world.conference, pk=world.proposal.pk)))

    assert page.context["hidden_papers"] == 1
    assert 1 not in [r.submission.number for r in page.context["papers"]]
    assert "Alpha kernels" not in text and len(rows_of(text)) == 8


@pytest.mark.parametrize("who", ["ml_reviewer", "author", "outsider"])
def test_exports_are_404_for_non_chairs(client, world, who, request):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url("assignment_export", world.conference)).status_code == 404
    export = url("proposal_export", world.conference, pk=world.proposal.pk)
    assert client.get(export).status_code == 404


def test_exports_send_anonymous_visitors_to_log_in(client, world):
    assert client.get(url("assignment_export", world.conference)).status_code == 302
    export = url("proposal_export", world.conference, pk=world.proposal.pk)
    assert client.get(export).status_code == 302


@pytest.mark.parametrize("count", [1, 10])
def test_proposal_page_and_export_query_counts_are_constant(
    client, conference, author, chair, ml_reviewer, count, django_assert_num_queries
):
    proposal = factories.AssignmentProposalFactory(conference=conference, status="ready")
    for number in range(1, count + 1):
        paper = make_paper(conference, author, number=number)
        factories.ProposedPairFactory(proposal=proposal, submission=paper, user=ml_reviewer)
    client.force_login(chair)

    with django_assert_num_queries(18):
        page = client.get(url("proposal", conference, pk=proposal.pk))
    with django_assert_num_queries(16):
        text = csv_text(client.get(url("proposal_export", conference, pk=proposal.pk)))

    assert len(page.context["papers"]) == count
    assert len(rows_of(text)) == count

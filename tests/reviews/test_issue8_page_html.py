"""Issue 8: the affinities and bidding pages have unique ids, labelled controls, and
aria-labelledby only where a role allows it (tests/html_checks.py)."""

from django.urls import reverse

from reviews.enums import ProposalStatus
from tests import factories
from tests.html_checks import accessibility_problems, duplicate_ids, parse
from tests.reviews.affinity_fixtures import COMPILER_PAPER, RL_PAPER, paper


def _url(conference, name):
    return reverse(f"reviews:{name}", kwargs={"conference": conference.slug})


def test_affinities_page_ids_are_unique_and_every_control_is_labelled(
    client, conference, chair, systems_reviewer
):
    first = paper(conference, 1, COMPILER_PAPER)
    paper(conference, 2, RL_PAPER)
    factories.AffinityFactory(
        conference=conference, submission=first, user=systems_reviewer, score=0.8
    )
    factories.AffinityRunFactory(
        conference=conference,
        status=ProposalStatus.READY,
        stats={
            "pairs": 1,
            "papers": 2,
            "reviewers": 1,
            "papers_without_text": [2],
            "score": {"min": 0.8, "median": 0.8, "mean": 0.8, "max": 0.8},
            "histogram": [{"low": 0.7, "high": 0.8, "count": 1}],
            "seconds": {"score": 0.1, "store": 0.1},
        },
    )
    factories.AffinityRunFactory(conference=conference, status=ProposalStatus.RUNNING, progress=0.5)
    client.force_login(chair)
    html = client.get(_url(conference, "affinities")).content.decode()
    assert "Store as source" in html and "Best-matching reviewers" in html
    assert duplicate_ids(html) == []
    assert accessibility_problems(html) == {}
    # The lookup's "Scores" select and the upload's "Store as source" box are both named.
    labels = {
        e.attrs["for"]: e for e in parse(html).elements if e.tag == "label" and "for" in e.attrs
    }
    sources = [e for e in parse(html).elements if e.attrs.get("name") == "source"]
    assert [e.tag for e in sources] == ["select", "input"]
    assert all(e.attrs["id"] in labels for e in sources)


def test_bidding_page_names_the_list_only_with_a_role(
    client, conference, ml_reviewer, bidding_open
):
    factories.SubmissionFactory(conference=conference, title="Sparse kernels")
    factories.SubmissionFactory(conference=conference, title="Quantised attention")
    client.force_login(ml_reviewer)
    html = client.get(_url(conference, "bidding")).content.decode()
    assert "Sparse kernels" in html and "Quantised attention" in html
    assert accessibility_problems(html) == {}
    named = [e for e in parse(html).elements if e.attrs.get("aria-labelledby") == "papers-heading"]
    # A section named by its heading is a region; the papers are its articles.
    assert [(e.tag, e.attrs.get("class")) for e in named] == [("section", "bid-list")]

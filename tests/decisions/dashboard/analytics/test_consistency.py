"""The consistency check: decisions on the wrong side of the cut-off, their reasons kept with the
decision, bad input, the conflicted chair, refused roles and constant queries."""

import pytest
from django.core.cache import cache

from decisions.dashboard import threshold
from decisions.dashboard.stats import dashboard
from decisions.models import Decision
from mlsys.conferences.viewer import Viewer
from tests import factories


@pytest.fixture
def decided(make_scored_paper, decide):
    """#high accepted (agrees), #low accepted (disagrees, no reason), #mid rejected above the
    line (disagrees, with a reason), #released rejected above the line and released."""
    high = make_scored_paper(ml=[6], systems=[6], title="High")
    low = make_scored_paper(ml=[1], systems=[2], title="Low")
    mid = make_scored_paper(ml=[5], systems=[4], title="Mid")
    gone = make_scored_paper(ml=[5], systems=[5], title="Released")
    decide(high, "Accept (oral)")
    decide(low, "Accept (poster)")
    decide(mid, "Reject", reason="Flawed evaluation")
    decide(gone, "Reject", status="released", reason="")
    return {"high": high, "low": low, "mid": mid, "released": gone}


def test_lists_decisions_that_disagree_with_the_line(conference, chair, decided):
    rows = threshold.disagreements(dashboard(conference, Viewer(chair)), 3.0)
    assert [row.title for row in rows] == ["Released", "Mid", "Low"]


def test_page_highlights_rows_without_reason(chair_client, decided, url):
    response = chair_client.get(url("consistency") + "?cutoff=3")
    body = response.content.decode()
    assert "3 decisions disagree" in body and "2 without a reason" in body
    assert body.count('class="missing-reason"') == 2
    assert 'value="Flawed evaluation"' in body
    assert "released: the reason can no longer change" in body


def test_reason_is_kept_with_the_decision(chair_client, decided, url):
    low = decided["low"]
    response = chair_client.post(
        url("consistency") + "?cutoff=3",
        {"number": low.number, "reason": "  Strong   artifact, champion in the room "},
    )
    assert response.status_code == 302
    decision = Decision.objects.get(submission=low)
    assert decision.reason == "Strong artifact, champion in the room"
    assert decision.outcome.label == "Accept (poster)" and decision.status == "pending"
    body = chair_client.get(url("consistency") + "?cutoff=3").content.decode()
    assert body.count('class="missing-reason"') == 1


def test_empty_reason_is_refused_and_nothing_changes(chair_client, decided, url):
    response = chair_client.post(
        url("consistency") + "?cutoff=3", {"number": decided["mid"].number, "reason": "  "}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert Decision.objects.get(submission=decided["mid"]).reason == "Flawed evaluation"


def test_released_decision_reason_is_not_changed(chair_client, decided, url):
    response = chair_client.post(
        url("consistency"),
        {"number": decided["released"].number, "reason": "Late change"},
        follow=True,
    )
    assert "already released" in response.content.decode()
    assert Decision.objects.get(submission=decided["released"]).reason == ""


def test_unknown_paper_is_404(chair_client, decided, url):
    assert chair_client.post(url("consistency"), {"number": 999, "reason": "x"}).status_code == 404


def test_conflicted_chair_neither_sees_nor_reasons_their_paper(
    client, conference, conflicted_chair, decided, url
):
    factories.ConflictFactory(submission=decided["low"], user=conflicted_chair, state="confirmed")
    client.force_login(conflicted_chair)
    body = client.get(url("consistency") + "?cutoff=3").content.decode()
    assert "Low" not in body and "Mid" in body
    response = client.post(url("consistency"), {"number": decided["low"].number, "reason": "x"})
    assert response.status_code == 404
    assert Decision.objects.get(submission=decided["low"]).reason == ""


@pytest.mark.parametrize("role", ["ml_reviewer", "author", "outsider"])
def test_refused_roles_get_404(client, request, decided, role, url):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url("consistency")).status_code == 404
    number = decided["low"].number
    assert client.post(url("consistency"), {"number": number, "reason": "x"}).status_code == 404
    assert Decision.objects.get(submission=decided["low"]).reason == ""


def test_anonymous_is_sent_to_log_in(client, conference, url):
    assert client.get(url("consistency")).status_code == 302


@pytest.mark.parametrize("papers", [1, 10])
def test_queries_do_not_grow_with_papers(
    chair_client, make_scored_paper, decide, url, django_assert_num_queries, papers
):
    for _ in range(papers):
        decide(make_scored_paper(ml=[6], systems=[6]), "Reject")  # all above the line
    cache.clear()
    with django_assert_num_queries(20):
        response = chair_client.get(url("consistency") + "?cutoff=3")
    assert response.context["total"] == papers

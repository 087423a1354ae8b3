"""The bidding page and bids: who sees what, conflicts, anonymity, search, htmx saves."""

import pytest
from django.urls import reverse

from mlsys.conferences.enums import Anonymity, Phase, PhaseMode
from mlsys.core.models import AuditEvent
from reviews.enums import BidValue
from reviews.models import Bid
from submissions.models import Conflict
from tests import factories


@pytest.fixture
def pc(client, ml_reviewer, bidding_open):
    client.force_login(ml_reviewer)
    return client


def page_url(conference, **params):
    url = reverse("reviews:bidding", kwargs={"conference": conference.slug})
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def bid_url(conference, submission):
    return reverse(
        "reviews:bid", kwargs={"conference": conference.slug, "number": submission.number}
    )


def paper(conference, title, **kwargs):
    return factories.SubmissionFactory(conference=conference, title=title, **kwargs)


def titles(response) -> list[str]:
    return [s.title for s in response.context["submissions"]]


def test_lists_only_submitted_papers_without_an_effective_conflict(pc, conference, ml_reviewer):
    paper(conference, "Visible")
    paper(conference, "Draft", status="draft")
    paper(conference, "Withdrawn", status="withdrawn")
    paper(conference, "My own", authors=[ml_reviewer])
    for state in ("suggested", "confirmed", "pinned"):
        factories.ConflictFactory(
            submission=paper(conference, f"Conflict {state}"), user=ml_reviewer, state=state
        )
    factories.ConflictFactory(
        submission=paper(conference, "Conflict dismissed"),
        user=ml_reviewer,
        source="email_domain",
        state="dismissed",
    )
    factories.BidFactory(
        submission=paper(conference, "Bid conflict"), user=ml_reviewer, value=BidValue.CONFLICT
    )
    other = factories.conference_in_submission_phase(slug="other")
    paper(other, "Other conference")

    response = pc.get(page_url(conference, sort="title"))

    assert response.status_code == 200
    assert titles(response) == ["Conflict dismissed", "Visible"]
    html = response.content.decode()
    for hidden in (
        "Draft",
        "Withdrawn",
        "My own",
        "Conflict suggested",
        "Conflict confirmed",
        "Conflict pinned",
        "Bid conflict",
        "Other conference",
    ):
        assert hidden not in html
    assert response.context["progress"] == {"bid": 0, "total": 2}
    assert "You have bid on <strong>0</strong> of <strong>2</strong> papers." in html


def test_sorted_by_affinity_with_unscored_papers_last(pc, conference, ml_reviewer):
    low, none, high, mid = (paper(conference, t) for t in ("Low", "None", "High", "Mid"))
    for sub, score in ((low, 0.1), (high, 0.9), (mid, 0.5)):
        factories.AffinityFactory(
            conference=conference, submission=sub, user=ml_reviewer, score=score
        )
    # A "combined" score wins over tfidf for the same pair; other reviewers' scores never count.
    factories.AffinityFactory(
        conference=conference, submission=low, user=ml_reviewer, source="combined", score=0.95
    )
    other = factories.UserFactory()
    factories.AffinityFactory(conference=conference, submission=none, user=other, score=1.0)

    response = pc.get(page_url(conference))

    assert titles(response) == ["Low", "High", "Mid", "None"]
    assert "Match 0.95" in response.content.decode()
    assert titles(pc.get(page_url(conference, sort="number"))) == ["Low", "None", "High", "Mid"]


@pytest.mark.parametrize("anonymity", [Anonymity.DOUBLE_BLIND, Anonymity.NAMES_HIDDEN])
def test_anonymous_tracks_show_no_author_identity(pc, conference, anonymity):
    track = conference.tracks.get(slug="research")
    track.anonymity = anonymity
    track.save()
    sub = paper(conference, "Secret authors", track=track)
    factories.AuthorFactory(
        submission=sub,
        name="Zelda Hiddenname",
        email="zelda@secret-lab.example",
        affiliation="Secret Lab Inc",
    )

    html = pc.get(page_url(conference)).content.decode()

    assert "Secret authors" in html
    for identity in ("Zelda", "Hiddenname", "zelda@", "secret-lab", "Secret Lab"):
        assert identity not in html


def test_open_tracks_show_author_names(pc, conference):
    track = factories.TrackFactory(conference=conference, name="Tools", anonymity=Anonymity.OPEN)
    sub = paper(conference, "Open paper", track=track)
    factories.AuthorFactory(submission=sub, name="Olivia Open", affiliation="Open U")

    html = pc.get(page_url(conference)).content.decode()

    assert "Olivia Open" in html and "Open U" in html


def test_search_matches_title_abstract_topic_and_never_conflicted_papers(
    pc, conference, ml_reviewer
):
    compilers = conference.topics.get(name="Compilers")
    a = paper(conference, "Kernel fusion")
    b = paper(conference, "Other", abstract="We fuse loops everywhere.")
    c = paper(conference, "Topic only")
    c.topics.add(compilers)
    hidden = paper(conference, "Kernel secrets")
    factories.ConflictFactory(submission=hidden, user=ml_reviewer, state="confirmed")
    factories.AuthorFactory(submission=a, name="Kernelina Author")

    assert titles(pc.get(page_url(conference, q="kernel", sort="title"))) == ["Kernel fusion"]
    assert titles(pc.get(page_url(conference, q="fuse", sort="title"))) == ["Other"]
    assert titles(pc.get(page_url(conference, q="compil"))) == ["Topic only"]
    assert titles(pc.get(page_url(conference, q="secrets"))) == []
    assert titles(pc.get(page_url(conference, q="Kernelina"))) == []
    assert titles(pc.get(page_url(conference, topic=compilers.pk))) == ["Topic only"]
    assert b.pk and a.pk


def test_htmx_bid_returns_the_row_and_persists(pc, conference, ml_reviewer):
    sub = paper(conference, "Bid me")
    paper(conference, "Another")

    response = pc.post(bid_url(conference, sub), {"value": "eager"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<article class="bid-row card" id="paper-{sub.number}"')
    assert f'value="eager" id="bid-{sub.number}-eager" checked' in html
    assert html.count(" checked") == 1
    assert 'id="bid-progress"' in html and 'hx-swap-oob="true"' in html
    assert "<strong>1</strong> of <strong>2</strong>" in html
    assert Bid.objects.get(user=ml_reviewer, submission=sub).value == BidValue.EAGER
    assert AuditEvent.objects.get(action="reviews.bid_placed").changes == {"value": [None, "eager"]}

    pc.post(bid_url(conference, sub), {"value": "not_willing"}, headers={"HX-Request": "true"})
    assert Bid.objects.get(user=ml_reviewer, submission=sub).value == BidValue.NOT_WILLING
    assert Bid.objects.count() == 1


def test_plain_post_bid_redirects_back(pc, conference, ml_reviewer):
    sub = paper(conference, "No JS")
    back = page_url(conference, q="JS")

    response = pc.post(bid_url(conference, sub), {"value": "willing", "next": back})

    assert response.status_code == 302
    assert response["Location"] == back
    assert Bid.objects.get(user=ml_reviewer, submission=sub).value == BidValue.WILLING


def test_unknown_bid_value_is_refused(pc, conference, ml_reviewer):
    sub = paper(conference, "Bid me")

    response = pc.post(bid_url(conference, sub), {"value": "love"}, headers={"HX-Request": "true"})

    assert response.status_code == 400
    assert not Bid.objects.exists()


def test_conflict_bid_hides_the_paper_and_records_a_conflict(pc, conference, ml_reviewer):
    sub = paper(conference, "Former student")
    paper(conference, "Still visible")

    response = pc.post(bid_url(conference, sub), {"conflict": "1"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "Conflict declared on #" in response.content.decode()
    assert "Former student" not in response.content.decode()
    conflict = Conflict.objects.get(submission=sub, user=ml_reviewer)
    assert (conflict.source, conflict.state) == ("reviewer_declared", "confirmed")
    assert Bid.objects.get(submission=sub, user=ml_reviewer).value == BidValue.CONFLICT
    page = pc.get(page_url(conference))
    assert titles(page) == ["Still visible"]
    assert page.context["progress"] == {"bid": 0, "total": 1}
    # Once conflicted, the paper cannot be bid on any more.
    again = pc.post(bid_url(conference, sub), {"value": "eager"}, headers={"HX-Request": "true"})
    assert again.status_code == 404
    assert Bid.objects.get(submission=sub, user=ml_reviewer).value == BidValue.CONFLICT


@pytest.mark.parametrize("state", ["suggested", "confirmed", "pinned"])
def test_bid_on_a_conflicted_paper_is_404(pc, conference, ml_reviewer, state):
    sub = paper(conference, "Conflicted")
    factories.ConflictFactory(submission=sub, user=ml_reviewer, state=state)

    response = pc.post(bid_url(conference, sub), {"value": "eager"})

    assert response.status_code == 404
    assert not Bid.objects.exists()


def test_bids_outside_the_bidding_phase_are_refused(client, conference, ml_reviewer):
    sub = paper(conference, "Too early")
    factories.BidFactory(submission=sub, user=ml_reviewer, value=BidValue.WILLING)
    factories.PhaseSettingFactory(conference=conference, phase=Phase.BIDDING, mode=PhaseMode.CLOSED)
    client.force_login(ml_reviewer)

    response = client.post(
        bid_url(conference, sub), {"value": "eager"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 403
    assert response["HX-Refresh"] == "true"
    assert Bid.objects.get().value == BidValue.WILLING
    page = client.get(page_url(conference))
    html = page.content.decode()
    assert "Bidding is closed" in html  # the message stored by the refused request
    assert "this page is read-only" in html
    assert 'type="radio"' not in html
    assert "Your bid: <strong>Willing</strong>" in html


@pytest.mark.parametrize("who", ["author", "outsider", "chair"])
def test_non_pc_members_get_404(client, conference, bidding_open, request, who):
    sub = paper(conference, "Anything")
    client.force_login(request.getfixturevalue(who))

    assert client.get(page_url(conference)).status_code == 404
    assert client.post(bid_url(conference, sub), {"value": "eager"}).status_code == 404
    assert not Bid.objects.exists()


def test_anonymous_visitor_is_sent_to_log_in(client, conference, bidding_open):
    sub = paper(conference, "Anything")

    for response in (client.get(page_url(conference)), client.post(bid_url(conference, sub))):
        assert response.status_code == 302
        assert "/login" in response["Location"]


def test_other_members_bids_are_neither_shown_nor_changed(pc, conference, systems_reviewer):
    sub = paper(conference, "Shared")
    factories.BidFactory(submission=sub, user=systems_reviewer, value=BidValue.EAGER)

    html = pc.get(page_url(conference)).content.decode()
    assert " checked" not in html

    pc.post(bid_url(conference, sub), {"value": "not_willing"})
    assert Bid.objects.get(user=systems_reviewer).value == BidValue.EAGER


def test_progress_counts_bids_on_visible_papers_only(pc, conference, ml_reviewer):
    subs = [paper(conference, f"P{i}") for i in range(4)]
    factories.BidFactory(submission=subs[0], user=ml_reviewer, value=BidValue.EAGER)
    factories.BidFactory(submission=subs[1], user=ml_reviewer, value=BidValue.NEUTRAL)
    # A bid on a paper that later became conflicted counts neither as a bid nor as a paper.
    factories.BidFactory(submission=subs[2], user=ml_reviewer, value=BidValue.WILLING)
    factories.ConflictFactory(submission=subs[2], user=ml_reviewer, state="pinned")

    response = pc.get(page_url(conference))

    assert response.context["progress"] == {"bid": 2, "total": 3}


@pytest.mark.parametrize("n", [1, 10])
def test_query_count_does_not_grow_with_papers(
    pc, conference, ml_reviewer, django_assert_num_queries, n
):
    open_track = factories.TrackFactory(conference=conference, anonymity=Anonymity.OPEN)
    topics = list(conference.topics.all())
    for i in range(n):
        sub = paper(conference, f"P{i}", track=open_track if i % 2 else conference.tracks.first())
        sub.topics.add(*topics[:2])
        factories.AuthorFactory(submission=sub)
        factories.AffinityFactory(conference=conference, submission=sub, user=ml_reviewer, score=i)
        factories.BidFactory(submission=sub, user=ml_reviewer, value=BidValue.WILLING)

    with django_assert_num_queries(12):
        response = pc.get(page_url(conference))

    assert len(response.context["submissions"]) == n

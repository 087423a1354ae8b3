"""The decisions dashboard page: every paper listed with its numbers, filters, sort, columns,
counters, per-track view, conflicted rows redacted, refused roles, constant queries."""

from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.urls import reverse

from decisions.outcomes import outcomes_of
from tests import factories


def url(conference, **params):
    base = reverse("decisions:dashboard", kwargs={"conference": conference.slug})
    return f"{base}?{urlencode(params, doseq=True)}" if params else base


def numbers(response):
    return [r["row"].number for r in response.context["rows"]]


def test_the_chair_sees_every_paper_with_its_numbers(chair_client, conference, make_scored_paper):
    paper = make_scored_paper(ml=[6, 5], systems=[2], title="Sparse kernels at scale")
    response = chair_client.get(url(conference))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sparse kernels at scale" in body
    paper_url = reverse(
        "reviews:paper", kwargs={"conference": conference.slug, "number": paper.number}
    )
    assert f'href="{paper_url}"' in body
    assert "+3.50" in body  # the ML − Systems gap
    assert "4.33" in body  # the primary mean
    assert "ML 2/2 · Sys 1/1" in body
    assert 'class="content full-width"' in body
    assert "decisions/dashboard/_analytics_links.html" not in body  # included, not printed


@pytest.mark.parametrize("role", ["ml_reviewer", "author", "outsider"])
def test_everyone_but_chairs_gets_404(client, conference, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url(conference)).status_code == 404
    csv_url = reverse("decisions:dashboard_csv", kwargs={"conference": conference.slug})
    assert client.get(csv_url).status_code == 404
    outcomes = reverse("decisions:outcomes", kwargs={"conference": conference.slug})
    assert client.get(outcomes).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, conference):
    response = client.get(url(conference))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_conflicted_chair_sees_the_paper_redacted_without_controls(
    client, conference, conflicted_chair, make_scored_paper
):
    mine = make_scored_paper(ml=[6], systems=[1], title="My own conflict")
    factories.ConflictFactory(submission=mine, user=conflicted_chair, state="confirmed")
    tag = factories.TagFactory(conference=conference, name="secret-tag")
    mine.tags.add(tag)
    other = make_scored_paper(ml=[4], systems=[4], title="Someone else")
    client.force_login(conflicted_chair)
    response = client.get(url(conference))
    body = response.content.decode()
    rows = {r["row"].number: r for r in response.context["rows"]}
    assert rows[mine.number]["link"] == "" and not rows[mine.number]["decidable"]
    assert "My own conflict" in body
    paper_url = reverse(
        "reviews:paper", kwargs={"conference": conference.slug, "number": mine.number}
    )
    assert paper_url not in body
    decide_url = reverse(
        "decisions:decide", kwargs={"conference": conference.slug, "number": mine.number}
    )
    assert f'action="{decide_url}"' not in body
    assert "secret-tag" not in [t for r in rows.values() for t in r["tags"]]
    cells = {c["key"]: c["text"] for c in rows[mine.number]["cells"]}
    assert cells["gap"] == "" and cells["overall_merit__mean"] == ""
    assert rows[other.number]["decidable"]
    assert "1 paper you are conflicted with is not counted" in body


def test_filters_search_and_sort(chair_client, conference, make_scored_paper):
    agree = make_scored_paper(ml=[4], systems=[4], title="Agreeing reviewers")
    split = make_scored_paper(ml=[6], systems=[1], title="Split opinions")
    lonely = make_scored_paper(ml=[5], title="Only ML reviewed")
    assert numbers(chair_client.get(url(conference, gap="2"))) == [split.number]
    assert numbers(chair_client.get(url(conference, spread="3"))) == [split.number]
    assert numbers(chair_client.get(url(conference, q="split"))) == [split.number]
    assert numbers(chair_client.get(url(conference, q=f"#{lonely.number}"))) == [lonely.number]
    by_mean = numbers(chair_client.get(url(conference, sort="-overall_merit__mean")))
    assert by_mean == [lonely.number, agree.number, split.number]
    # Papers without a gap sort last both ways.
    assert numbers(chair_client.get(url(conference, sort="gap")))[-1] == lonely.number
    assert numbers(chair_client.get(url(conference, sort="-gap")))[-1] == lonely.number


def test_filter_by_track_topic_missing_and_decision(chair, chair_client, conference, review_form):
    research, industry = conference.tracks.order_by("order")
    topic = conference.topics.first()
    a = factories.SubmissionFactory(conference=conference, track=research)
    a.topics.add(topic)
    b = factories.SubmissionFactory(conference=conference, track=industry)
    factories.AssignmentFactory(submission=b, reviewer=factories.UserFactory())
    oral = outcomes_of(conference)[0]
    factories.DecisionFactory(submission=a, outcome=oral)
    response = chair_client.get(url(conference, track=industry.pk))
    assert numbers(response) == [b.number]
    assert "Decisions: Industry track" in response.content.decode()
    assert numbers(chair_client.get(url(conference, topic=topic.pk))) == [a.number]
    assert numbers(chair_client.get(url(conference, missing="on"))) == [b.number]
    assert numbers(chair_client.get(url(conference, decision="undecided"))) == [b.number]
    assert numbers(chair_client.get(url(conference, decision="pending"))) == [a.number]
    assert numbers(chair_client.get(url(conference, decision=f"o{oral.pk}"))) == [a.number]
    assert numbers(chair_client.get(url(conference, decision="released"))) == []


def test_bad_filters_are_reported_and_ignored(chair_client, conference, make_scored_paper):
    make_scored_paper(ml=[3])
    response = chair_client.get(
        url(conference, gap="lots", track="²", sort="nonsense", cols="nope", page="x")
    )
    assert response.status_code == 200
    assert "Some filters were not applied" in response.content.decode()
    assert len(response.context["rows"]) == 1


def test_columns_can_be_hidden_and_shown(chair_client, conference, make_scored_paper):
    make_scored_paper(ml=[3])
    response = chair_client.get(url(conference, cols=["number", "calibrated"]))
    keys = [c["key"] for c in response.context["rows"][0]["cells"]]
    assert keys == ["number", "title", "calibrated", "decision"]
    default = [c["key"] for c in chair_client.get(url(conference)).context["rows"][0]["cells"]]
    assert "gap" in default and "topics" not in default


def test_counters_per_track_with_pending_and_released(chair_client, conference):
    oral, _poster, reject = outcomes_of(conference)
    research = conference.tracks.order_by("order").first()
    papers = [factories.SubmissionFactory(conference=conference, track=research) for _ in range(4)]
    factories.DecisionFactory(submission=papers[0], outcome=oral)
    factories.DecisionFactory(submission=papers[1], outcome=reject)
    papers[2].status = "accepted"
    papers[2].save()
    factories.DecisionFactory(submission=papers[2], outcome=oral, status="released")
    counters = chair_client.get(url(conference)).context["counters"]
    (track,) = counters.tracks
    assert (track.papers, track.accepted, track.rejected, track.undecided) == (4, 2, 1, 1)
    assert track.rate == "50.0%"
    assert (counters.pending, counters.released) == (2, 1)


def test_one_page_holds_100_rows(chair_client, conference):
    for _ in range(101):
        factories.SubmissionFactory(conference=conference)
    response = chair_client.get(url(conference))
    assert len(response.context["rows"]) == 100 and response.context["matching"] == 101
    assert len(chair_client.get(url(conference, page=2)).context["rows"]) == 1


@pytest.mark.parametrize("papers", [1, 10])
def test_page_queries_do_not_grow_with_papers(
    chair_client, conference, make_scored_paper, django_assert_num_queries, papers
):
    oral = outcomes_of(conference)[0]
    tag = factories.TagFactory(conference=conference)
    for i in range(papers):
        paper = make_scored_paper(ml=[i % 6 + 1], systems=[3])
        factories.DecisionFactory(submission=paper, outcome=oral)
        paper.tags.add(tag)
        paper.topics.add(conference.topics.first())
    chair_client.get(url(conference))  # warm the session and the cached scores
    cache.clear()
    with django_assert_num_queries(QUERIES_PAGE):
        response = chair_client.get(url(conference))
    assert len(response.context["rows"]) == papers
    with django_assert_num_queries(QUERIES_PAGE - 4):  # fingerprint unchanged: from the cache
        chair_client.get(url(conference))


QUERIES_PAGE = 22  # with the scores recomputed; 18 from the cache


def test_sort_by_track_follows_the_track_order_and_by_decision(chair_client, conference):
    research, industry = conference.tracks.order_by("order")
    industry.order, research.order = 0, 1
    industry.save()
    research.save()
    a = factories.SubmissionFactory(conference=conference, track=research)
    b = factories.SubmissionFactory(conference=conference, track=industry)
    assert numbers(chair_client.get(url(conference, sort="track"))) == [b.number, a.number]
    factories.DecisionFactory(submission=b, outcome=outcomes_of(conference)[2])
    assert numbers(chair_client.get(url(conference, sort="decision"))) == [b.number, a.number]

"""The release page and API: what a release touches before the chair confirms (per track and
outcome, undecided papers, papers withdrawn since deciding), what it did afterwards, conflicted
chairs' counts that reveal no decision, refused roles, stale confirmations, constant queries."""

import pytest
from django.urls import reverse

from decisions.models import Decision
from decisions.outcomes import outcomes_of
from decisions.release.queries import fingerprint, release_preview
from mlsys.conferences.viewer import Viewer
from tests import factories


@pytest.fixture
def outcomes(conference):
    oral, poster, reject = outcomes_of(conference)
    return {"oral": oral, "poster": poster, "reject": reject}


def url(conference):
    return reverse("decisions:release", kwargs={"conference": conference.slug})


def api_url(conference):
    return reverse("api-decisions-release", kwargs={"conference": conference.slug})


def papers(conference, outcomes, author, n=1):
    """``n`` papers with each: pending oral, pending reject, undecided, withdrawn since."""
    made = []
    for _i in range(n):
        oral = factories.SubmissionFactory(conference=conference, authors=[author])
        factories.DecisionFactory(submission=oral, outcome=outcomes["oral"])
        reject = factories.SubmissionFactory(conference=conference)
        factories.DecisionFactory(submission=reject, outcome=outcomes["reject"])
        factories.SubmissionFactory(conference=conference)
        gone = factories.SubmissionFactory(conference=conference, status="withdrawn")
        factories.DecisionFactory(submission=gone, outcome=outcomes["poster"])
        made.append((oral, reject, gone))
    return made


def test_the_page_says_what_a_release_touches(client, conference, chair, outcomes, author):
    papers(conference, outcomes, author, n=2)
    client.force_login(chair)
    response = client.get(url(conference))
    assert response.status_code == 200
    summary = response.context["summaries"][0]
    assert summary.pending == [("Accept (oral)", 2), ("Reject", 2)]
    assert (summary.undecided, summary.withdrawn, summary.conflicted) == (2, 2, 0)
    html = response.content.decode()
    assert "Accept (oral): 2" in html and "Release all pending decisions" in html


def test_releasing_reports_what_it_did_and_authors_then_see_the_decision(
    client, conference, chair, outcomes, author, django_capture_on_commit_callbacks
):
    [(oral, _reject, gone)] = papers(conference, outcomes, author)
    client.force_login(author)
    detail = reverse(
        "submissions:detail", kwargs={"conference": conference.slug, "number": oral.number}
    )
    before = client.get(detail).content.decode()
    assert "Accept (oral)" not in before and "Decision:" not in before
    client.force_login(chair)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(conference), {"expected": fingerprint(conference)})
    response = client.get(url(conference))
    report = response.context["report"]
    assert report["released_total"] == 2
    assert [tuple(r) for r in report["released"]] == [("Accept (oral)", 1), ("Reject", 1)]
    assert [n for n, _ in report["skipped"]] == [gone.number]
    assert Decision.objects.get(submission=gone).status == "pending"
    oral.refresh_from_db()
    assert oral.status == "accepted"
    client.force_login(author)
    after = client.get(detail).content.decode()
    assert "Decision: Accept (oral)" in after and "letter.pdf" in after


def test_a_stale_confirmation_releases_nothing(client, conference, chair, outcomes, author):
    [(oral, reject, _)] = papers(conference, outcomes, author)
    client.force_login(chair)
    stale = fingerprint(conference)
    factories.DecisionFactory(
        submission=factories.SubmissionFactory(conference=conference), outcome=outcomes["oral"]
    )
    response = client.post(url(conference), {"expected": stale}, follow=True)
    assert "changed since you opened this page" in response.content.decode()
    assert not Decision.objects.filter(status="released").exists()


def test_releasing_one_track_leaves_the_others_pending(
    client, conference, chair, outcomes, author, django_capture_on_commit_callbacks
):
    other = conference.tracks.order_by("order", "pk").last()
    [(oral, _, _)] = papers(conference, outcomes, author)
    elsewhere = factories.SubmissionFactory(conference=conference, track=other)
    factories.DecisionFactory(submission=elsewhere, outcome=outcomes["oral"])
    client.force_login(chair)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url(conference),
            {"track": other.pk, "expected": fingerprint(conference, other)},
        )
    assert Decision.objects.get(submission=elsewhere).status == "released"
    assert Decision.objects.get(submission=oral).status == "pending"


def test_a_conflicted_chair_sees_counts_that_reveal_no_conflicted_decision(
    client, conference, conflicted_chair, outcomes, author, django_capture_on_commit_callbacks
):
    [(oral, reject, gone)] = papers(conference, outcomes, author)
    factories.ConflictFactory(submission=oral, user=conflicted_chair, state="confirmed")
    summary = release_preview(conference, Viewer(conflicted_chair))[0]
    assert summary.pending == [("Reject", 1)]
    assert summary.conflicted == 1
    client.force_login(conflicted_chair)
    html = client.get(url(conference)).content.decode()
    assert "Accept (oral)" not in html
    assert "1 paper you are conflicted with" in html
    # Releasing is a conference-level chair action: allowed, and the report counts the paper apart.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url(conference), {"expected": fingerprint(conference, viewer=Viewer(conflicted_chair))}
        )
    report = client.get(url(conference)).context["report"]
    assert [tuple(r) for r in report["released"]] == [("Reject", 1)]
    assert report["conflicted"] == 1
    assert Decision.objects.get(submission=oral).status == "released"


@pytest.mark.parametrize("role", ["ml_reviewer", "author", "outsider"])
def test_the_page_and_the_api_refuse_everyone_but_chairs(
    client, api, conference, outcomes, author, role, request
):
    papers(conference, outcomes, author)
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert client.get(url(conference)).status_code == 404
    assert client.post(url(conference), {"expected": "x"}).status_code == 404
    api.force_authenticate(user)
    assert api.post(api_url(conference), {}, format="json").status_code == 404
    assert not Decision.objects.filter(status="released").exists()


def test_anonymous_visitors_are_sent_to_log_in_and_refused_by_the_api(client, api, conference):
    assert client.get(url(conference)).status_code == 302
    assert api.post(api_url(conference), {}, format="json").status_code in (401, 403)


def test_the_api_releases_and_reports(
    api, conference, chair, outcomes, author, conflicted_chair, django_capture_on_commit_callbacks
):
    [(oral, _, gone)] = papers(conference, outcomes, author)
    api.force_authenticate(chair)
    bad = api.post(api_url(conference), {"track": 999999}, format="json")
    assert bad.status_code == 400 and "track" in bad.json()["error"]["fields"]
    stale = api.post(api_url(conference), {"expected": "0000"}, format="json")
    assert stale.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(api_url(conference), {}, format="json")
    assert response.status_code == 202
    run = api.get(
        reverse(
            "api-decisions-release-run",
            kwargs={"conference": conference.slug, "pk": response.json()["id"]},
        )
    ).json()
    assert run["status"] == "done"
    assert run["report"]["released_total"] == 2
    assert run["report"]["skipped"] == [{"number": gone.number, "reason": "It is withdrawn."}]
    # Another chair cannot read this chair's run (its report is worded for them).
    api.force_authenticate(conflicted_chair)
    other = reverse(
        "api-decisions-release-run",
        kwargs={"conference": conference.slug, "pk": response.json()["id"]},
    )
    assert api.get(other).status_code == 404


@pytest.mark.parametrize("n", [1, 10])
def test_the_page_costs_the_same_queries_for_1_and_10_papers(
    client, conference, chair, outcomes, author, n, django_assert_num_queries
):
    papers(conference, outcomes, author, n=n)
    client.force_login(chair)
    client.get(url(conference))
    with django_assert_num_queries(14):
        client.get(url(conference))


def test_a_release_that_fails_is_recorded_for_the_chair(
    client, conference, chair, outcomes, author, monkeypatch, django_capture_on_commit_callbacks
):
    from decisions.release import services

    papers(conference, outcomes, author)

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "release", broken)
    client.force_login(chair)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(conference), {"expected": fingerprint(conference)})
    response = client.get(url(conference))
    assert response.context["run"].status == "failed"
    assert "database went away" in response.content.decode()
    partial = client.get(reverse("decisions:release_run", kwargs={"conference": conference.slug}))
    assert "failed" in partial.content.decode()

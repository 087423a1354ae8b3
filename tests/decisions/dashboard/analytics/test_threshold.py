"""The threshold helper's preview, its second step (set decisions from the cut-off), bad input,
refused roles, the conflicted chair and constant queries."""

import pytest
from django.core.cache import cache

from decisions.dashboard import threshold
from decisions.dashboard.stats import dashboard
from decisions.models import Decision
from mlsys.conferences.viewer import Viewer
from tests import factories


@pytest.fixture
def spread(conference, make_scored_paper):
    """Five papers: merits 6, 5, 4, 2, 1 (one review from each side, equal scores)."""
    tracks = list(conference.tracks.all())
    papers = {}
    for merit in (6, 5, 4, 2, 1):
        paper = make_scored_paper(ml=[merit], systems=[merit], title=f"Merit {merit}")
        papers[merit] = paper
    if len(tracks) > 1:
        for merit in (6, 2):
            papers[merit].track = tracks[1]
            papers[merit].save(update_fields=["track"])
    return papers


def test_preview_counts_per_track_and_topic(conference, chair, spread):
    topic = conference.topics.first()
    for merit in (6, 5, 1):
        spread[merit].topics.set([topic])
    board = dashboard(conference, Viewer(chair))
    tracks = dict(conference.tracks.values_list("pk", "name"))
    result = threshold.preview(board, 3.5, tracks, {topic.pk: topic.name})
    assert (result.total.papers, result.total.accepted) == (5, 3)
    assert result.total.rate == pytest.approx(60.0)
    assert sum(g.papers for g in result.tracks) == 5
    assert sum(g.accepted for g in result.tracks) == 3
    (group,) = result.topics
    assert (group.papers, group.accepted) == (3, 2)


def test_page_and_htmx_part(chair_client, spread, url):
    response = chair_client.get(url("threshold") + "?cutoff=4.5")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Cut-off 4.50: 2 of 5 papers accepted (40.0%)" in body
    assert 'type="range"' in body and "<html" in body
    part = chair_client.get(url("threshold") + "?cutoff=1.5", headers={"HX-Request": "true"})
    assert "<html" not in part.content.decode()
    assert "Cut-off 1.50: 4 of 5 papers accepted" in part.content.decode()
    # The exact-value field follows the slider (an out-of-band swap).
    assert 'value="1.50"' in part.content.decode() and 'hx-swap-oob="true"' in part.content.decode()


def test_bad_cutoff_says_so_and_shows_the_default(chair_client, spread, url):
    response = chair_client.get(url("threshold") + "?cutoff=lots")
    assert response.status_code == 200
    assert "Enter a number." in response.content.decode()
    assert response.context["cutoff"] == pytest.approx(4.0, abs=0.5)  # the median score


def test_plan_touches_only_undecided_papers_under_review(
    conference, chair, conflicted_chair, spread, decide
):
    decide(spread[5], "Reject")  # pending: kept
    decide(spread[4], "Accept (poster)", status="released")
    unscored = factories.SubmissionFactory(conference=conference)
    factories.ConflictFactory(submission=spread[1], user=conflicted_chair, state="confirmed")
    plan = threshold.plan(dashboard(conference, Viewer(conflicted_chair)), 3.0)
    assert [r.number for r in plan.accept] == [spread[6].number]
    assert [r.number for r in plan.reject] == [spread[2].number]
    assert {why: [r.number for r in rows] for why, rows in plan.skipped.items()} == {
        threshold.KEPT: [spread[5].number],
        threshold.RELEASED: [spread[4].number],
        threshold.NO_SCORE: [unscored.number],
        threshold.CONFLICTED: [spread[1].number],
    }


def test_second_step_shows_then_records_pending_decisions(
    chair_client, spread, decide, outcomes, url
):
    decide(spread[5], "Reject", reason="Kept as is")
    page = chair_client.get(url("threshold_apply") + "?cutoff=3")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Already has a pending decision (kept)" in body
    assert "Record 4 pending decisions" in body
    digest = page.context["plan"].digest
    response = chair_client.post(
        url("threshold_apply"),
        {
            "cutoff": "3",
            "digest": digest,
            "accept": outcomes["Accept (poster)"].pk,
            "reject": outcomes["Reject"].pk,
        },
    )
    assert response.status_code == 302
    labels = dict(Decision.objects.values_list("submission__number", "outcome__label"))
    assert labels == {
        spread[6].number: "Accept (poster)",
        spread[5].number: "Reject",  # untouched
        spread[4].number: "Accept (poster)",
        spread[2].number: "Reject",
        spread[1].number: "Reject",
    }
    assert set(Decision.objects.values_list("status", flat=True)) == {"pending"}
    assert Decision.objects.get(submission=spread[5]).reason == "Kept as is"


def test_a_plan_that_changed_is_refused(chair_client, spread, decide, outcomes, url):
    page = chair_client.get(url("threshold_apply") + "?cutoff=3")
    digest = page.context["plan"].digest
    decide(spread[6], "Reject")  # another chair decided meanwhile
    response = chair_client.post(
        url("threshold_apply"),
        {
            "cutoff": "3",
            "digest": digest,
            "accept": outcomes["Accept (poster)"].pk,
            "reject": outcomes["Reject"].pk,
        },
        follow=True,
    )
    assert "nothing was set" in response.content.decode()
    assert Decision.objects.count() == 1


def test_bad_outcome_is_refused_with_a_message(chair_client, spread, url):
    response = chair_client.post(
        url("threshold_apply"), {"cutoff": "3", "digest": "x", "accept": "nope"}, follow=True
    )
    assert "Choose an outcome for each side of the line." in response.content.decode()
    assert not Decision.objects.exists()


def test_conflicted_chair_preview_and_apply_leave_their_paper_out(
    client, conference, conflicted_chair, spread, outcomes, url
):
    factories.ConflictFactory(submission=spread[6], user=conflicted_chair, state="confirmed")
    client.force_login(conflicted_chair)
    page = client.get(url("threshold") + "?cutoff=3")
    assert page.context["preview"].total.papers == 4
    plan = client.get(url("threshold_apply") + "?cutoff=3").context["plan"]
    client.post(
        url("threshold_apply"),
        {
            "cutoff": "3",
            "digest": plan.digest,
            "accept": outcomes["Accept (oral)"].pk,
            "reject": outcomes["Reject"].pk,
        },
    )
    assert Decision.objects.count() == 4
    assert not Decision.objects.filter(submission=spread[6]).exists()


@pytest.mark.parametrize("role", ["ml_reviewer", "author", "outsider"])
@pytest.mark.parametrize("name", ["threshold", "threshold_apply"])
def test_refused_roles_get_404(client, request, conference, role, name, url):
    client.force_login(request.getfixturevalue(role))
    assert client.get(url(name)).status_code == 404
    assert client.post(url("threshold_apply"), {}).status_code == 404


def test_anonymous_is_sent_to_log_in(client, conference, url):
    assert client.get(url("threshold")).status_code == 302
    assert client.post(url("threshold_apply"), {}).status_code == 302
    assert not Decision.objects.exists()


@pytest.mark.parametrize("papers", [1, 10])
@pytest.mark.parametrize(("name", "expected"), [("threshold", 21), ("threshold_apply", 23)])
def test_queries_do_not_grow_with_papers(
    chair_client, make_scored_paper, decide, url, django_assert_num_queries, papers, name, expected
):
    for i in range(papers):
        paper = make_scored_paper(ml=[i % 6 + 1], systems=[3])
        if i % 2:
            decide(paper, "Reject")
    cache.clear()
    with django_assert_num_queries(expected):
        chair_client.get(url(name) + "?cutoff=3")


def test_many_papers_are_set_by_the_worker_once(
    chair_client, conference, chair, spread, outcomes, url, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from decisions.dashboard import tasks
    from mlsys.core.models import AuditEvent

    monkeypatch.setattr(threshold, "SYNC_LIMIT", 1)
    plan = chair_client.get(url("threshold_apply") + "?cutoff=3").context["plan"]
    ids = {"accept_id": outcomes["Accept (oral)"].pk, "reject_id": outcomes["Reject"].pk}
    with django_capture_on_commit_callbacks(execute=True):
        response = chair_client.post(
            url("threshold_apply"),
            {"cutoff": "3", "digest": plan.digest, "accept": ids["accept_id"],
             "reject": ids["reject_id"]},
            follow=True,
        )  # fmt: skip
    assert "Recording 5 pending decisions in the background" in response.content.decode()
    assert Decision.objects.count() == 5  # the test suite runs tasks eagerly, on commit
    event = AuditEvent.objects.get(action="decisions.cutoff_applied")
    assert event.changes["accepted"] == [None, 3] and event.changes["rejected"] == [None, 2]
    # Run again (a redelivered message): the plan changed, nothing more is set.
    again = tasks.apply_cutoff(
        conference_id=conference.pk, user_id=chair.pk, cutoff=3.0, digest=plan.digest, **ids
    )
    assert again == 0 and Decision.objects.count() == 5
    gone = tasks.apply_cutoff(
        conference_id=0, user_id=chair.pk, cutoff=3.0, digest=plan.digest, **ids
    )
    assert gone == 0


def test_the_worker_refuses_a_user_who_is_no_chair(conference, ml_reviewer, spread, outcomes):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        threshold.apply_cutoff(
            conference=conference,
            actor=ml_reviewer,
            cutoff=3.0,
            digest="x",
            accept=outcomes["Accept (oral)"],
            reject=outcomes["Reject"],
        )
    assert not Decision.objects.exists()

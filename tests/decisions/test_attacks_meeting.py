"""The PC meeting as a chair conflicted with paper X. Before the fix a conflicted chair could
start meetings of their choosing: with a window that holds no paper they see, "Meeting started:
1 papers" (or "No paper … widen the window") told them whether X's calibrated score lies in it,
and a few restarts pinned it down."""

import pytest
from django.urls import reverse

from decisions.dashboard.meeting import committee_board, start_meeting
from decisions.models import DecisionMeeting
from tests.decisions import attack_world as W


@pytest.fixture
def world(conference, chair, conflicted_chair, author, outsider):
    return W.build(conference, chair, conflicted_chair, author, outsider)


def url(world, name, **kwargs):
    return reverse(f"decisions:{name}", kwargs={"conference": world.conference.slug, **kwargs})


def calibrated(world, paper) -> float:
    return next(r.calibrated for r in committee_board(world.conference).rows if r.id == paper.pk)


def test_a_conflicted_chair_cannot_start_a_meeting_to_probe_their_papers_score(client, world):
    x = calibrated(world, world.x)
    y = calibrated(world, world.y)
    window = abs(x - y) / 3  # around X only
    client.force_login(world.conflicted_chair)
    page = client.get(url(world, "meeting")).content.decode()
    assert "Another chair starts the meeting" in page
    assert 'action="' + url(world, "meeting_start") + '"' not in page
    response = client.post(
        url(world, "meeting_start"), {"cutoff": f"{x}", "window": f"{window}"}, follow=True
    )
    body = response.content.decode()
    assert "Another chair starts the meeting" in body
    assert "Meeting started" not in body and "widen the window" not in body
    assert not DecisionMeeting.objects.exists()


def test_nor_restart_one_the_other_chair_started(client, world):
    start_meeting(conference=world.conference, actor=world.chair, cutoff=3.5, window=5)
    before = DecisionMeeting.objects.get()
    client.force_login(world.conflicted_chair)
    client.post(url(world, "meeting_start"), {"cutoff": "9", "window": "0.01"})
    after = DecisionMeeting.objects.get()
    assert (after.order, after.cutoff, after.window) == (before.order, before.cutoff, before.window)
    # They follow the meeting and move it like everyone; for X they only learn to leave.
    page = client.get(url(world, "meeting")).content.decode()
    assert "Paper <strong>1 of 2</strong>" in page
    assert W.leaked(page) == []
    assert client.post(url(world, "meeting_move"), {"position": 1}).status_code == 302
    assert DecisionMeeting.objects.get().position == 1


def test_a_chair_whose_conflicts_are_all_decided_and_released_may_start(client, world):
    world.release()
    client.force_login(world.conflicted_chair)
    page = client.get(url(world, "meeting")).content.decode()
    assert "Another chair starts the meeting" not in page

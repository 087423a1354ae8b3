"""Paper X's author before release: nothing they read (their paper's pages, its reviews page,
the API, the home page, their emails, guessed letter and camera-ready URLs) may hint at a
pending decision, and nothing may move when the chairs change it. After release: their letter
names no reviewer and holds no chairs-only field."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from decisions import services
from mlsys.mail.models import OutboundEmail
from tests.decisions import attack_world as W
from tests.decisions.test_attacks_differential import normal
from tests.decisions.test_visibility_matrix import body_of

PAGES = [
    ("home", {}),
    ("submissions:detail", {"number": 7}),
    ("reviews:response", {"number": 7}),
]
API = [
    ("api-submission-detail", {"number": 7}),
    ("api-author-reviews", {"number": 7}),
    ("api-camera-ready", {"number": 7}),
    ("api-decision-letter-pdf", {"number": 7}),
]
#: The submission page lists the whole PC to declare conflicts with: names there say nothing.
PC_LIST = re.compile(r'<select name="conflicts-[^"]*-user".*?</select>', re.S)

GUESSED = [
    ("decisions:letter_pdf", {"number": 7}),
    ("decisions:camera_ready", {"number": 7}),
    ("decisions:camera_ready_report", {"number": 7}),
]


@pytest.fixture
def world(conference, chair, conflicted_chair, author, outsider):
    return W.build(conference, chair, conflicted_chair, author, outsider)


def target(world, name, kwargs):
    if name == "home":
        return reverse("home")
    return reverse(name, kwargs={"conference": world.conference.slug, **kwargs})


def snapshot(client, api, world) -> dict[str, tuple[int, str]]:
    seen = {}
    for name, kwargs in PAGES + GUESSED:
        response = client.get(target(world, name, kwargs))
        seen[name] = (response.status_code, PC_LIST.sub("", normal(body_of(response))))
    for name, kwargs in API:
        response = api.get(target(world, name, kwargs))
        seen[name] = (response.status_code, normal(body_of(response)))
    return seen


def test_before_release_the_author_reads_no_hint_of_a_decision(client, api, world):
    client.force_login(world.author)
    api.force_authenticate(world.author)
    before = snapshot(client, api, world)
    for name, _ in GUESSED:
        assert before[name][0] == 404, name
    assert before["api-decision-letter-pdf"][0] == 404
    assert before["api-camera-ready"][0] == 404
    for name, (_, body) in before.items():
        assert W.leaked(body) == [], name
        for word in ("Accept (oral)", "accepted", "pending decision"):
            assert word not in body, (name, word)
    services.record_decision(
        submission=world.x, outcome=world.outcomes["reject"], actor=world.chair, reason="Changed."
    )
    assert snapshot(client, api, world) == before
    services.clear_decision(submission=world.x, actor=world.chair)
    assert snapshot(client, api, world) == before
    assert not [m for m in mail.outbox if world.author.email in m.to]
    assert not [e for e in OutboundEmail.objects.all() if world.author.email in e.to]


def test_after_release_the_author_reads_the_decision_and_nothing_of_the_chairs(client, api, world):
    world.release()
    client.force_login(world.author)
    api.force_authenticate(world.author)
    seen = snapshot(client, api, world)
    assert "Accept (oral)" in seen["submissions:detail"][1]
    assert W.META in seen["submissions:detail"][1]
    for name, (_, body) in seen.items():
        assert W.leaked(body, W.NEVER) == [], name


def test_after_release_the_author_guesses_another_papers_letter_and_camera_ready(
    client, api, world
):
    world.release()
    client.force_login(world.author)
    api.force_authenticate(world.author)
    y = world.y.number
    for name in ("decisions:letter_pdf", "decisions:camera_ready", "decisions:camera_ready_report"):
        assert client.get(target(world, name, {"number": y})).status_code == 404, name
    for name in ("api-decision-letter-pdf", "api-camera-ready"):
        assert api.get(target(world, name, {"number": y})).status_code == 404, name

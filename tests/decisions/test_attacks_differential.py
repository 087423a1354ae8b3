"""A chair conflicted with paper X reads every decisions surface, the other chair changes
everything about X (its decision, reason, scores, meta-review, discussion, tags), and the
conflicted chair reads them all again: nothing may differ. A surface that changes tells them
something about X, whether through a counter, a sort order, a plot, a digest or a count."""

import re

import pytest
from django.urls import reverse

from decisions import services
from reviews.models import MetaReview, Review
from tests import factories
from tests.decisions import attack_world as W
from tests.decisions.test_visibility_matrix import CHAIR_API, CHAIR_PAGES, body_of

#: The probes a conflicted chair would try on top of the plain pages.
PROBES = [
    ("decisions:dashboard", "?sort=gap"),
    ("decisions:dashboard", "?sort=-calibrated"),
    ("decisions:dashboard", "?sort=decision"),
    ("decisions:dashboard", "?sort=-recommendation"),
    ("decisions:dashboard", "?sort=-discussion"),
    ("decisions:dashboard", "?sort=tags"),
    ("decisions:dashboard", "?decision=undecided"),
    ("decisions:dashboard", "?decision=pending"),
    ("decisions:dashboard", "?gap=2"),
    ("decisions:dashboard", "?spread=3"),
    ("decisions:dashboard", "?missing=on"),
    ("decisions:dashboard", f"?q={W.REASON}"),
    ("decisions:dashboard", "?q=Hiddenreviewer"),
    ("decisions:plots", "?score=calibrated"),
    ("decisions:plots", "?score=gap"),
    ("decisions:threshold", "?cutoff=2"),
    ("decisions:threshold", "?cutoff=5"),
    ("decisions:threshold_apply", "?cutoff=2"),
    ("decisions:consistency", "?cutoff=2"),
    ("decisions:consistency", "?cutoff=5"),
]

API_PROBES = ["?decision=pending", "?decision=undecided", "?gap=2", "?sort=-calibrated"]

CSRF = re.compile(r'(csrfmiddlewaretoken" value=|csrf-token" content=|"X-CSRFToken": )"[^"]*"')
CLOCK = re.compile(r'("generated_at": )"[^"]*"')


def normal(body: str) -> str:
    return CLOCK.sub(r"\1", CSRF.sub(r"\1", body))


def snapshot(client, conference) -> dict[str, str]:
    seen = {}
    for name, kwargs, query in CHAIR_PAGES + [(n, {}, q) for n, q in PROBES]:
        target = reverse(name, kwargs={"conference": conference.slug, **kwargs}) + query
        seen[target] = normal(body_of(client.get(target)))
    api_probes = [("api-decisions-dashboard", {}, q) for q in API_PROBES]
    for name, kwargs, query in CHAIR_API + api_probes:
        target = reverse(name, kwargs={"conference": conference.slug, **kwargs}) + query
        seen[target] = normal(body_of(client.get(target, HTTP_ACCEPT="application/json")))
    seen["home"] = normal(body_of(client.get(reverse("home"))))
    return seen


def change_everything_about_x(world):
    x = world.x
    services.record_decision(
        submission=x, outcome=world.outcomes["reject"], actor=world.chair, reason="Other reason."
    )
    Review.objects.filter(assignment__submission=x).update(
        answers={"overall_merit": 2, "confidence": 1, "comments": "x", "private": "y"}
    )
    MetaReview.objects.filter(submission=x).update(recommendation="reject", summary="changed")
    factories.CommentFactory(submission=x, author=world.pc, body="Another point.")
    x.tags.add(x.conference.tags.get(name="second-tag"))


@pytest.fixture
def world(conference, chair, conflicted_chair, author, outsider):
    world = W.build(conference, chair, conflicted_chair, author, outsider)
    factories.TagFactory(conference=conference, name="second-tag")  # the vocabulary stays
    return world


def diff(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [target for target in before if before[target] != after[target]]


def test_nothing_a_conflicted_chair_reads_moves_when_their_paper_changes(client, world):
    client.force_login(world.conflicted_chair)
    before = snapshot(client, world.conference)
    change_everything_about_x(world)
    after = snapshot(client, world.conference)
    assert diff(before, after) == []


def test_clearing_the_decision_of_x_moves_nothing_either(client, world):
    client.force_login(world.conflicted_chair)
    before = snapshot(client, world.conference)
    services.clear_decision(submission=world.x, actor=world.chair)
    assert diff(before, snapshot(client, world.conference)) == []


def test_after_release_a_shepherd_for_x_moves_nothing_the_conflicted_chair_reads(client, world):
    from decisions.camera_ready.services import assign_shepherd
    from mlsys.accounts.models import User

    world.release()
    client.force_login(world.conflicted_chair)
    before = snapshot(client, world.conference)
    shepherd = User.objects.get(name=W.REVIEWER)
    assign_shepherd(submission=world.x, actor=world.chair, shepherd=shepherd)
    after = snapshot(client, world.conference)
    assert diff(before, after) == []
    assert all(W.REVIEWER not in body for body in after.values())


def test_what_the_other_chair_loaded_first_is_not_served_to_the_conflicted_one(client, world):
    """The dashboard caches per-paper results: the free chair's unredacted rows must never be
    what the conflicted chair reads."""
    from django.core.cache import caches

    client.force_login(world.conflicted_chair)
    alone = snapshot(client, world.conference)
    for cache in caches.all():
        cache.clear()
    client.force_login(world.chair)
    snapshot(client, world.conference)
    client.force_login(world.conflicted_chair)
    assert diff(alone, snapshot(client, world.conference)) == []

"""Counts and digests a chair conflicted with paper X reads: none may depend on X's decision.
(Both failed before the fix: the outcomes page counted X's decision under its outcome, and the
release page's confirmation digest covered X's decision, equal to the empty digest when X had
none.)"""

import pytest
from django.urls import reverse

from decisions import services
from decisions.release.queries import EMPTY, fingerprint
from mlsys.conferences.viewer import Viewer
from tests.decisions import attack_world as W


@pytest.fixture
def world(conference, chair, conflicted_chair, author, outsider):
    return W.build(conference, chair, conflicted_chair, author, outsider)


def usage(client, world) -> list[str]:
    response = client.get(reverse("decisions:outcomes", kwargs={"conference": "mlsys2027"}))
    return [(f.initial.get("label"), f.used) for f in response.context["formset"]]


def test_the_outcomes_page_does_not_count_a_conflicted_papers_decision(client, world):
    client.force_login(world.chair)
    assert ("Accept (oral)", 1) in usage(client, world)  # X's decision, for the free chair
    client.force_login(world.conflicted_chair)
    seen = usage(client, world)
    assert ("Accept (oral)", 0) in seen and ("Reject", 1) in seen
    services.record_decision(
        submission=world.x, outcome=world.outcomes["reject"], actor=world.chair
    )
    assert usage(client, world) == seen
    page = client.get(reverse("decisions:outcomes", kwargs={"conference": "mlsys2027"}))
    assert "leave out the decisions of papers you are conflicted with" in page.content.decode()


def test_the_release_digest_does_not_cover_a_conflicted_papers_decision(client, world):
    conference, viewer = world.conference, Viewer(world.conflicted_chair)
    research = conference.tracks.order_by("order").first()
    # Y elsewhere: X is alone in its track, so an empty digest would say "X has no decision".
    world.y.track = conference.tracks.order_by("order").last()
    world.y.save(update_fields=["track"])
    assert world.y.track != research
    mine = fingerprint(conference, research, viewer)
    assert mine == EMPTY and fingerprint(conference, research) != EMPTY
    services.clear_decision(submission=world.x, actor=world.chair)
    assert fingerprint(conference, research, viewer) == mine
    client.force_login(world.conflicted_chair)
    page = client.get(reverse("decisions:release", kwargs={"conference": conference.slug}))
    assert page.status_code == 200
    services.record_decision(submission=world.x, outcome=world.outcomes["oral"], actor=world.chair)
    again = client.get(reverse("decisions:release", kwargs={"conference": conference.slug}))
    assert page.context["all_fingerprint"] == again.context["all_fingerprint"]
    assert [s.fingerprint for s in page.context["summaries"]] == [
        s.fingerprint for s in again.context["summaries"]
    ]


def test_a_stale_confirmation_is_still_refused_for_what_the_chair_sees(client, world):
    conference = world.conference
    client.force_login(world.conflicted_chair)
    expected = fingerprint(conference, viewer=Viewer(world.conflicted_chair))
    services.record_decision(submission=world.y, outcome=world.outcomes["oral"], actor=world.chair)
    url = reverse("decisions:release", kwargs={"conference": conference.slug})
    client.post(url, {"expected": expected})
    world.y.refresh_from_db()
    assert world.y.status == "submitted"  # nothing released: Y's decision changed meanwhile


def kinds(world, actor, flip):
    from decisions.dashboard.services import OutcomeChange, save_outcomes
    from decisions.outcomes import outcomes_of

    changes = [
        OutcomeChange(
            o.pk, o.label, ("reject" if o.kind == "accept" else "accept") if o in flip else o.kind,
            o.order, o.active,
        )
        for o in outcomes_of(world.conference)
    ]  # fmt: skip
    return save_outcomes(conference=world.conference, actor=actor, changes=changes)


def test_a_conflicted_chair_cannot_flip_an_outcome_their_papers_decision_may_use(world):
    """Flipping "Accept (oral)" to reject would reject X at release, blind; a refusal only for
    outcomes in use would tell which one X has. So: no kind change by a chair with conflicts
    under review, whichever outcome (before the fix the flip of X's outcome went through)."""
    from django.core.exceptions import ValidationError

    for outcome in world.outcomes.values():
        with pytest.raises(ValidationError) as refused:
            kinds(world, world.conflicted_chair, [outcome])
        assert "Another chair changes it" in str(refused.value)
    world.outcomes["oral"].refresh_from_db()
    assert world.outcomes["oral"].kind == "accept"
    kinds(world, world.chair, [world.outcomes["poster"]])  # the free chair may
    world.outcomes["poster"].refresh_from_db()
    assert world.outcomes["poster"].kind == "reject"

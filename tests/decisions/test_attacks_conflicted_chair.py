"""What a chair conflicted with paper X tries beyond reading pages: bulk previews over "all
matching" filters that only X could match, X's letter by id, the other chair's letter ZIP,
and acting on X through every door (page, htmx, bulk, meeting, cut-off, consistency reason,
API, shepherd). All refused or blind; X's decision stays the other chair's."""

import pytest
from django.urls import reverse

from decisions import services as decisions
from decisions.dashboard.meeting import start_meeting
from decisions.letters import services as letters
from decisions.models import Decision, LetterArchive, LetterEmail
from mlsys.core import files
from tests.decisions import attack_world as W


@pytest.fixture
def world(conference, chair, conflicted_chair, author, outsider):
    return W.build(conference, chair, conflicted_chair, author, outsider)


def u(world, name, query="", **kwargs):
    return reverse(name, kwargs={"conference": world.conference.slug, **kwargs}) + query


@pytest.mark.parametrize(
    "filters",
    ["decision=o{oral}", "decision=pending", "gap=3", "spread=4", "q=" + W.REASON, "tag={tag}"],
)
def test_bulk_all_matching_never_counts_x(client, world, filters):
    oral = world.outcomes["oral"].pk
    tag = world.conference.tags.get(name=W.TAG).pk
    client.force_login(world.conflicted_chair)
    data = {
        "action": "decide",
        "scope": "matching",
        "filters": filters.format(oral=oral, tag=tag),
        "outcome": world.outcomes["poster"].pk,
    }
    preview = client.post(u(world, "decisions:decide_bulk"), data)
    shown = [p.paper.number for p in preview.context["changing"] + preview.context["skipping"]]
    assert world.x.number not in shown


def test_x_letter_and_the_other_chairs_zip_are_not_found(
    client, world, django_capture_on_commit_callbacks
):
    world.release()
    letters.prepare_letters(conference=world.conference, actor=world.chair)
    with django_capture_on_commit_callbacks(execute=True):
        letters.request_archive(conference=world.conference, actor=world.chair)
    letter = LetterEmail.objects.filter(decision__submission=world.x).first()
    archive = LetterArchive.objects.get()
    client.force_login(world.conflicted_chair)
    assert client.get(u(world, "decisions:letter_preview", pk=letter.pk)).status_code == 404
    assert client.get(files.url_for("decision-letter-archive", archive)).status_code == 404
    assert client.get(u(world, "decisions:letters_archive")).status_code == 200
    # Their own ZIP leaves X out.
    with django_capture_on_commit_callbacks(execute=True):
        mine = letters.request_archive(conference=world.conference, actor=world.conflicted_chair)
    mine.refresh_from_db()
    import zipfile

    with mine.file.open("rb") as handle:
        assert zipfile.ZipFile(handle).namelist() == [f"paper-{world.y.number}.pdf"]
    # Sending and discarding touch only the letters they may see.
    letters.discard_letters(conference=world.conference, actor=world.conflicted_chair)
    assert LetterEmail.objects.filter(decision__submission=world.x).exists()
    assert letters.send_letters(conference=world.conference, actor=world.conflicted_chair) == 0


def test_no_door_lets_the_conflicted_chair_act_on_x(client, api, world):
    x, other = world.x, world.outcomes["reject"].pk
    start_meeting(conference=world.conference, actor=world.chair, cutoff=3.5, window=5)
    client.force_login(world.conflicted_chair)
    client.post(u(world, "decisions:decide", number=x.number), {"outcome": other})
    client.post(u(world, "decisions:decide", number=x.number), {"outcome": "", "confirm": "1"})
    client.post(
        u(world, "decisions:decide_bulk"),
        {
            "action": "decide",
            "scope": "selected",
            "numbers": [x.number],
            "outcome": other,
            "confirm": "1",
        },
    )
    client.post(u(world, "decisions:meeting_decide", number=x.number), {"outcome": other})
    client.post(
        u(world, "decisions:consistency", "?cutoff=3"), {"number": x.number, "reason": "Mine."}
    )
    api.force_authenticate(world.conflicted_chair)
    api.post(u(world, "api-decision-list"), {"number": x.number, "outcome": other}, format="json")
    api.post(
        u(world, "api-decision-bulk"), {"numbers": [x.number], "outcome": other}, format="json"
    )
    assert api.delete(u(world, "api-decision-detail", number=x.number)).status_code == 404
    decision = Decision.objects.get(submission=x)
    assert (decision.outcome, decision.reason) == (world.outcomes["oral"], W.REASON)
    assert decision.decided_by == world.chair
    assert not x.tags.exclude(name=W.TAG).exists()


def test_the_papers_history_tells_the_conflicted_chair_nothing_of_its_decision(client, world):
    """The submission's management page shows its history to every chair, its conflicted one
    included. Clearing a decision was audited on the submission, with the outcome's label: the
    conflicted chair read "decisions.cleared: Accept (oral) → —" there (failed before the fix)."""
    decisions.clear_decision(submission=world.x, actor=world.chair)
    decisions.record_decision(
        submission=world.x, outcome=world.outcomes["poster"], actor=world.chair
    )
    client.force_login(world.conflicted_chair)
    page = client.get(u(world, "submissions:chair_detail", number=world.x.number))
    assert page.status_code == 200
    body = page.content.decode()
    for word in ("Accept (oral)", "Accept (poster)", "decisions.", W.REASON):
        assert word not in body, word

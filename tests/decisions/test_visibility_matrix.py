"""Every page, export and API endpoint of the decisions app, fetched by every role, before and
after release (tests/decisions/attack_world.py plants the markers in the conflicted paper X).

The contract (ARCHITECTURE.md "Who may see what"): the chairs' surfaces are the chairs'; a
logged-in user without the permission gets 404, an anonymous visitor is sent to log in (pages) or
refused (API). A chair conflicted with X sees no marker of X anywhere and gets 404 for X's own
surfaces. X's authors read its decision letter only after release, and never its reviewer names,
PC-only answers, the chair's reason or the discussion.
"""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from decisions.dashboard.meeting import start_meeting
from decisions.letters import services as letters
from tests.decisions import attack_world as W

COLS = "&".join(
    f"cols={c}" for c in ("number", "title", "recommendation", "tags", "discussion", "calibrated")
)
CHAIR_PAGES = [
    ("decisions:dashboard", {}, ""),
    ("decisions:dashboard", {}, "?sort=-gap"),
    ("decisions:dashboard", {}, f"?decision=pending&{COLS}"),
    ("decisions:dashboard", {}, "?q=quiet"),
    ("decisions:dashboard_csv", {}, f"?{COLS}"),
    ("decisions:outcomes", {}, ""),
    ("decisions:plots", {}, ""),
    ("decisions:threshold", {}, "?cutoff=3"),
    ("decisions:threshold_apply", {}, "?cutoff=3"),
    ("decisions:consistency", {}, "?cutoff=3"),
    ("decisions:meeting", {}, ""),
    ("decisions:meeting_where", {}, ""),
    ("decisions:release", {}, ""),
    ("decisions:letters", {}, ""),
    ("decisions:letters_archive", {}, ""),
    ("decisions:camera_ready_overview", {}, ""),
    ("decisions:camera_ready_export", {}, ""),
    ("decisions:camera_ready_settings", {}, ""),
    ("decisions:proceedings", {}, ""),
    ("decisions:proceedings_builds", {}, ""),
    ("decisions:proceedings_export", {}, "?format=csv"),
    ("decisions:proceedings_export", {}, "?format=json"),
]
CHAIR_API = [
    ("api-decisions-dashboard", {}, f"?{COLS}"),
    ("api-decisions-dashboard", {}, "?sort=-gap"),
    ("api-decision-letters", {}, ""),
    ("api-proceedings-list", {}, ""),
    ("api-proceedings-build-list", {}, ""),
]
#: X's own surfaces: its letter (page and API) and camera-ready.
PAPER_PAGES = [
    ("decisions:letter_pdf", {"number": 7}, ""),
    ("decisions:camera_ready", {"number": 7}, ""),
    ("decisions:camera_ready_report", {"number": 7}, ""),
]
PAPER_API = [
    ("api-decision-letter-pdf", {"number": 7}, ""),
    ("api-camera-ready", {"number": 7}, ""),
]


def url(world, name, kwargs, query):
    return reverse(name, kwargs={"conference": world.conference.slug, **kwargs}) + query


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


@pytest.fixture
def world(conference, chair, conflicted_chair, author, outsider):
    world = W.build(conference, chair, conflicted_chair, author, outsider)
    start_meeting(conference=conference, actor=chair, cutoff=3.5, window=5)
    return world


def fetch(client, world, user, surfaces, *, api=False):
    client.logout()
    if user is not None:
        client.force_login(user)
    answers = {}
    for name, kwargs, query in surfaces:
        target = url(world, name, kwargs, query)
        response = client.get(target, HTTP_ACCEPT="application/json") if api else client.get(target)
        answers[target] = (response.status_code, body_of(response), response)
    return answers


def refused_everywhere(answers, *, anonymous, api=False, paper=False):
    for target, (status, _, response) in answers.items():
        if anonymous and paper and not api:  # one paper's file: 404 for whoever may not read it
            assert status == 404 or "/accounts/login/" in response.get("Location", ""), target
        elif anonymous and not api:
            assert status == 302 and "/accounts/login/" in response["Location"], target
        elif anonymous:
            assert status in (401, 403), target
        else:
            assert status == 404, (target, status)


def no_marker(answers, markers=W.ALL):
    for target, (_, body, _) in answers.items():
        assert W.leaked(body, markers) == [], target


@pytest.mark.parametrize("released", [False, True], ids=["pending", "released"])
def test_chair_surfaces_by_role(client, world, released):
    if released:
        world.release()
        letters.prepare_letters(conference=world.conference, actor=world.chair)
    chair_pages = fetch(client, world, world.chair, CHAIR_PAGES)
    chair_api = fetch(client, world, world.chair, CHAIR_API, api=True)
    for target, (status, _, _) in {**chair_pages, **chair_api}.items():
        assert status == 200, (target, status)
    seen = " ".join(body for _, body, _ in [*chair_pages.values(), *chair_api.values()])
    assert W.REASON in seen and "Quiet paper" in seen  # the markers are planted and shown

    conflicted = fetch(client, world, world.conflicted_chair, CHAIR_PAGES)
    conflicted_api = fetch(client, world, world.conflicted_chair, CHAIR_API, api=True)
    for target, (status, _, _) in {**conflicted, **conflicted_api}.items():
        assert status == 200, (target, status)
    no_marker(conflicted)
    no_marker(conflicted_api)

    for user in (world.pc, world.conflicted_pc, world.author, world.outsider):
        refused_everywhere(fetch(client, world, user, CHAIR_PAGES), anonymous=False)
        refused_everywhere(fetch(client, world, user, CHAIR_API, api=True), anonymous=False)
    refused_everywhere(fetch(client, world, None, CHAIR_PAGES), anonymous=True)
    refused_everywhere(fetch(client, world, None, CHAIR_API, api=True), anonymous=True, api=True)


@pytest.mark.parametrize("released", [False, True], ids=["pending", "released"])
def test_the_conflicted_papers_own_surfaces(client, world, released):
    if released:
        world.release()
    for user in (world.conflicted_chair, world.pc, world.conflicted_pc, world.outsider):
        refused_everywhere(fetch(client, world, user, PAPER_PAGES), anonymous=False)
        refused_everywhere(fetch(client, world, user, PAPER_API, api=True), anonymous=False)
    refused_everywhere(fetch(client, world, None, PAPER_PAGES), anonymous=True, paper=True)
    refused_everywhere(fetch(client, world, None, PAPER_API, api=True), anonymous=True, api=True)
    author_pages = fetch(client, world, world.author, PAPER_PAGES)
    letter = url(world, "decisions:letter_pdf", {"number": 7}, "")
    if not released:
        refused_everywhere({letter: author_pages[letter]}, anonymous=False)
        api_letter = url(world, "api-decision-letter-pdf", {"number": 7}, "")
        answers = fetch(client, world, world.author, PAPER_API, api=True)
        assert answers[api_letter][0] == 404
    no_marker(author_pages, W.NEVER if released else W.ALL)


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_released_letter_pdf_and_emails_hold_only_what_authors_may_read(client, world):
    world.release()
    client.force_login(world.author)
    response = client.get(url(world, "decisions:letter_pdf", {"number": 7}, ""))
    assert response.status_code == 302
    pdf = client.get(response["Location"])
    assert pdf.status_code == 200
    text = pdf_text(b"".join(pdf.streaming_content))
    assert W.META in text and W.FOR_AUTHORS in text
    assert W.leaked(text, W.NEVER) == []
    # The conflicted chair may not follow the author's file link either.
    client.force_login(world.conflicted_chair)
    assert client.get(response["Location"]).status_code == 404

    from decisions.models import LetterEmail

    letters.prepare_letters(conference=world.conference, actor=world.chair)
    emails = [le.email for le in LetterEmail.objects.filter(decision__submission=world.x)]
    assert emails
    for email in emails:
        assert email.to == [world.author.email]
        assert not getattr(email, "cc", None) and not getattr(email, "bcc", None)
        assert W.leaked(email.subject + email.body, W.NEVER) == []
        assert W.META in email.body


def test_the_conflicted_chair_prepares_no_letter_of_their_paper(client, world):
    world.release()
    result = letters.prepare_letters(conference=world.conference, actor=world.conflicted_chair)
    assert result.papers == 1  # Y only
    client.force_login(world.conflicted_chair)
    page = client.get(url(world, "decisions:letters", {}, ""))
    assert W.leaked(page.content.decode()) == []
    from decisions.models import LetterEmail

    assert not LetterEmail.objects.filter(decision__submission=world.x).exists()


def test_home_pages_hold_no_marker(client, world):
    for user in (
        world.conflicted_chair,
        world.pc,
        world.conflicted_pc,
        world.author,
        world.outsider,
        None,
    ):
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(reverse("home"))
        assert response.status_code == 200
        assert W.leaked(response.content.decode()) == [], user

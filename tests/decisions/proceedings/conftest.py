"""An accepted program built the real way: decisions recorded and released by
decisions.services, camera-ready uploads that are real PDFs."""

from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile

from decisions import services
from decisions.outcomes import outcomes_of
from decisions.proceedings import badges, finals
from submissions.models import Submission
from tests import factories
from tests.submissions import pdfs


@pytest.fixture(autouse=True)
def _without_apps_above(monkeypatch):
    """The proceedings are tested on their own: the providers the apps above decisions register
    at start-up (artifacts' badges and stamped PDFs) are set aside while a test runs; tests that
    want one register it (``badge_provider``). tests/artifacts/badges covers them together."""
    monkeypatch.setattr(badges, "_providers", [])
    monkeypatch.setattr(finals, "_versions", [])


def final_pdf(submission, data: bytes | None = None, *, check_status="passed"):
    """A camera-ready upload of ``submission`` (a real one-page PDF unless ``data``)."""
    body = data if data is not None else pdfs.paper(pages=1, references=False)
    return factories.SubmissionFileFactory(
        submission=submission,
        kind="camera_ready",
        file=ContentFile(body, name="final.pdf"),
        size=len(body),
        check_status=check_status,
        pages=1,
    )


def accept(chair, submission, outcome) -> None:
    services.record_decision(submission=submission, outcome=outcome, actor=chair)


@dataclass
class Program:
    conference: object
    oral: Submission
    poster: Submission
    industry: Submission
    rejected: Submission
    pending: Submission
    outcomes: dict = field(default_factory=dict)


@pytest.fixture
def program(conference, chair, author):
    """Research: #3 oral, #1 poster (with final PDF), #5 rejected; Industry: #2 poster without a
    final PDF; #4 an accept still pending (recorded after the release)."""
    oral_o, poster_o, reject_o = outcomes_of(conference)
    research, industry = conference.tracks.order_by("order")
    topics = {t.name: t for t in conference.topics.all()}
    author.orcid = "0000-0002-1825-0097"
    author.affiliation = "Uni Example"
    author.save()

    def paper(number, track, title):
        sub = factories.SubmissionFactory(
            conference=conference, track=track, number=number, title=title
        )
        return sub

    poster = paper(1, research, "Poster paper")
    industry_paper = paper(2, industry, "Industry paper")
    oral = paper(3, research, "=Oral paper <b>bold</b>")
    pending = paper(4, research, "Pending paper")
    rejected = paper(5, research, "Rejected paper")
    factories.AuthorFactory(
        submission=oral,
        order=0,
        name="Ada Author",
        email=author.email,
        user=author,
        affiliation="Uni Example",
    )
    factories.AuthorFactory(
        submission=oral, order=1, name="Bo Second", email="bo@lab.example", affiliation="Lab"
    )
    factories.AuthorFactory(
        submission=poster, order=0, name="Cy Third", email="cy@x.example", affiliation=""
    )
    oral.topics.set([topics["Compilers"], topics["Deep learning"]])
    oral.abstract = "We compile <script>alert(1)</script> tensors.\n\nSecond paragraph."
    oral.save()
    final_pdf(oral)
    final_pdf(poster)
    final_pdf(industry_paper, check_status="invalid")  # not usable: counts as missing
    accept(chair, oral, oral_o)
    accept(chair, poster, poster_o)
    accept(chair, industry_paper, poster_o)
    accept(chair, rejected, reject_o)
    services.release_decisions(conference=conference, actor=chair)
    accept(chair, pending, oral_o)
    for sub in (oral, poster, industry_paper, rejected, pending):
        sub.refresh_from_db()
    return Program(
        conference,
        oral,
        poster,
        industry_paper,
        rejected,
        pending,
        {"oral": oral_o, "poster": poster_o, "reject": reject_o},
    )


def many_accepted(conference, chair, count: int, *, start: int = 100) -> list[Submission]:
    """``count`` accepted papers with two authors and a topic each, and a final PDF."""
    outcome = outcomes_of(conference)[1]
    topic = conference.topics.first()
    papers = []
    for n in range(start, start + count):
        sub = factories.SubmissionFactory(conference=conference, number=n, title=f"Paper {n}")
        factories.AuthorFactory(submission=sub, order=0, affiliation="A")
        factories.AuthorFactory(submission=sub, order=1, affiliation="B")
        sub.topics.add(topic)
        final_pdf(sub, b"%PDF-1.7\n%%EOF\n")
        accept(chair, sub, outcome)
        papers.append(sub)
    services.release_decisions(conference=conference, actor=chair)
    return papers


@pytest.fixture
def badge_provider():
    """Registers a provider giving #3 two badges while the test runs."""

    def provider(conference):
        sub = conference.submissions.filter(number=3).first()
        return {sub.pk: ["Artifacts Available", "Results Reproduced"]} if sub else {}

    badges.register(provider)
    yield provider
    badges.unregister(provider)

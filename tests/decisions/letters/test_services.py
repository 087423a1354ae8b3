"""Decision letters: held in the outbox, one per author and paper, idempotent, only for released
decisions, only author-visible review parts and never a reviewer's name; sent or discarded in
bulk; PDFs stored and zipped; conflicted chairs leave their papers to another chair."""

import io
import zipfile

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from decisions import services as decision_services
from decisions.letters import services
from decisions.models import DecisionLetter, LetterArchive, LetterEmail
from mlsys.mail.models import OutboundEmail
from mlsys.mail.tasks import sweep_outbox
from tests import factories
from tests.decisions.letters.conftest import decide, reviewed_paper

HELD = OutboundEmail.Status.HELD


def zip_names(archive) -> list[str]:
    with archive.file.open("rb") as handle, zipfile.ZipFile(handle) as bundle:
        return bundle.namelist()


def release(conference, chair):
    return decision_services.release_decisions(conference=conference, actor=chair)


def test_nothing_is_prepared_before_release(conference, chair, paper, outcomes):
    decide(paper, outcomes["oral"], chair)
    done = services.prepare_letters(conference=conference, actor=chair)
    assert done.prepared == 0
    assert not OutboundEmail.objects.exists()


def test_each_author_gets_one_held_letter_per_paper_and_preparing_twice_adds_none(
    conference, chair, paper, outcomes, author
):
    decide(paper, outcomes["poster"], chair)
    release(conference, chair)
    mail.outbox.clear()
    done = services.prepare_letters(conference=conference, actor=chair)
    assert (done.prepared, done.papers) == (2, 1)
    emails = OutboundEmail.objects.filter(template_key="decisions.letter_accept")
    assert sorted(e.to[0] for e in emails) == sorted([author.email, "bo1@uni.example.org"])
    assert {e.status for e in emails} == {HELD}
    assert mail.outbox == []  # held: nothing sent
    again = services.prepare_letters(conference=conference, actor=chair)
    assert (again.prepared, again.existing) == (0, 2)
    assert OutboundEmail.objects.count() == 2


def test_a_letter_shows_author_visible_answers_and_no_reviewer_name(
    conference, chair, paper, outcomes
):
    decide(paper, outcomes["reject"], chair)
    release(conference, chair)
    services.prepare_letters(conference=conference, actor=chair)
    email = OutboundEmail.objects.filter(template_key="decisions.letter_reject").first()
    assert "Decision: Reject" in email.body
    assert "The committee liked the kernels." in email.body
    assert "Reviewer A" in email.body and "Reviewer B" in email.body
    assert "Solid work" in email.body
    assert "SECRET-PC-ONLY" not in email.body
    assert "Rita" not in email.body and "Ralf" not in email.body


def test_sweep_ignores_held_letters_and_send_moves_them_through_the_outbox(
    conference, chair, paper, outcomes, django_capture_on_commit_callbacks
):
    decide(paper, outcomes["oral"], chair)
    release(conference, chair)
    services.prepare_letters(conference=conference, actor=chair)
    mail.outbox.clear()
    assert sweep_outbox() == 0
    assert OutboundEmail.objects.filter(status=HELD).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_letters(conference=conference, actor=chair) == 2
    assert OutboundEmail.objects.filter(status="sent").count() == 2
    assert len(mail.outbox) == 2
    assert services.send_letters(conference=conference, actor=chair) == 0


def test_discarding_held_letters_keeps_sent_ones_and_allows_preparing_again(
    conference, chair, paper, outcomes, author
):
    decide(paper, outcomes["oral"], chair)
    release(conference, chair)
    services.prepare_letters(conference=conference, actor=chair)
    sent = OutboundEmail.objects.get(to=[author.email])
    OutboundEmail.objects.filter(pk=sent.pk).update(status="sent")
    assert services.discard_letters(conference=conference, actor=chair) == 1
    assert OutboundEmail.objects.filter(pk=sent.pk).exists()
    assert LetterEmail.objects.count() == 1
    factories.EmailTemplateFactory(
        conference=conference,
        key="decisions.letter_accept",
        subject="New words for #{number}",
        body="Dear {name}: {decision}",
    )
    again = services.prepare_letters(conference=conference, actor=chair)
    assert again.prepared == 1
    fresh = OutboundEmail.objects.get(status=HELD)
    assert fresh.subject == "New words for #1"
    assert fresh.to == ["bo1@uni.example.org"]


def test_only_chairs_handle_letters(conference, paper, ml_reviewer, author):
    for who in (ml_reviewer, author):
        with pytest.raises(PermissionDenied):
            services.prepare_letters(conference=conference, actor=who)
        with pytest.raises(PermissionDenied):
            services.send_letters(conference=conference, actor=who)


def test_a_conflicted_chair_neither_prepares_nor_sends_their_conflicted_papers_letters(
    conference, chair, conflicted_chair, paper, outcomes, author
):
    other = reviewed_paper(conference, author, number=2, title="Other")
    factories.ConflictFactory(submission=paper, user=conflicted_chair, state="confirmed")
    decide(paper, outcomes["oral"], chair)
    decide(other, outcomes["reject"], chair)
    release(conference, conflicted_chair)
    done = services.prepare_letters(conference=conference, actor=conflicted_chair)
    assert done.papers == 1
    assert not LetterEmail.objects.filter(decision__submission=paper).exists()
    services.prepare_letters(conference=conference, actor=chair)
    assert services.send_letters(conference=conference, actor=conflicted_chair) == 2
    assert OutboundEmail.objects.filter(status=HELD).count() == 2  # paper 1's stay held
    assert services.discard_letters(conference=conference, actor=conflicted_chair) == 0


def test_release_stores_a_real_letter_pdf_without_names(
    conference, chair, paper, outcomes, django_capture_on_commit_callbacks
):
    decide(paper, outcomes["oral"], chair)
    release(conference, chair)
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_letters([paper])  # what the release page does (eager in tests)
    letter = DecisionLetter.objects.get(submission=paper)
    with letter.file.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "MLSys 2027" in text and "Accept (oral)" in text
    assert "Reviewer A" in text and "The committee liked the kernels." in text
    assert "SECRET-PC-ONLY" not in text and "Rita" not in text


def test_no_letter_pdf_before_release(conference, chair, paper, outcomes):
    decide(paper, outcomes["oral"], chair)
    assert services.letter_of(paper) is None


def test_the_zip_holds_one_pdf_per_released_paper_and_leaves_out_conflicted_ones(
    conference, chair, conflicted_chair, paper, outcomes, author, django_capture_on_commit_callbacks
):
    other = reviewed_paper(conference, author, number=2, title="Other")
    factories.ConflictFactory(submission=paper, user=conflicted_chair, state="confirmed")
    decide(paper, outcomes["oral"], chair)
    decide(other, outcomes["reject"], chair)
    release(conference, chair)
    with django_capture_on_commit_callbacks(execute=True):
        archive = services.request_archive(conference=conference, actor=chair)
    archive.refresh_from_db()
    assert archive.status == "ready" and archive.done == 2
    names = zip_names(archive)
    assert sorted(names) == ["paper-1.pdf", "paper-2.pdf"]
    with django_capture_on_commit_callbacks(execute=True):
        mine = services.request_archive(conference=conference, actor=conflicted_chair)
    mine.refresh_from_db()
    assert zip_names(mine) == ["paper-2.pdf"]
    assert LetterArchive.objects.count() == 2


def test_the_background_preparation_runs_as_the_chair_and_a_race_makes_no_duplicate(
    conference,
    chair,
    conflicted_chair,
    paper,
    outcomes,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    from decisions.letters.tasks import prepare_letters

    factories.ConflictFactory(submission=paper, user=conflicted_chair, state="confirmed")
    decide(paper, outcomes["oral"], chair)
    release(conference, chair)
    assert prepare_letters(conference_id=conference.pk, user_id=conflicted_chair.pk) == (
        "prepared 0"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.request_preparation(conference=conference, actor=chair)
    assert LetterEmail.objects.count() == 2
    # A run that read "not prepared yet" while another one wrote (simulated: the same address
    # twice): the unique (decision, recipient) refuses the duplicate, the paper's rows roll
    # back together, and the run carries on without a duplicate or a crash.
    LetterEmail.objects.all().delete()
    OutboundEmail.objects.all().delete()
    monkeypatch.setattr(
        services, "recipients", lambda submission: [("x@example.org", "X"), ("x@example.org", "X")]
    )
    again = services.prepare_letters(conference=conference, actor=chair)
    assert (again.prepared, again.existing) == (0, 2)
    assert not OutboundEmail.objects.exists() and not LetterEmail.objects.exists()

"""Stamping the camera-ready: real PDFs in, a new file out, the original untouched; hostile
files fail the stamp with a message; when stamps are queued; who downloads them."""

import hashlib
import io
import re
import subprocess
from datetime import timedelta

import pypdf
import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from artifacts.badges import services, stamping
from artifacts.models import StampedPaper
from artifacts.signals import badges_published
from artifacts.status import move
from mlsys.core import files
from mlsys.core.models import AuditEvent
from submissions import pipeline
from tests.artifacts.badges.conftest import award, final_pdf
from tests.factories import artifacts as af
from tests.submissions import pdfs

pytestmark = pytest.mark.django_db
LABELS = ["Artifacts Available", "Results Reproduced"]


def _sha(file) -> str:
    with file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def _stamp(world, capture, actor=None):
    with capture(execute=True):
        stamp = services.request_stamp(world.artifact, actor=actor or world.ae_chair)
    stamp.refresh_from_db()
    return stamp


def test_the_stamped_pdf_carries_the_badges_on_page_one_only(
    world, django_capture_on_commit_callbacks, tmp_path
):
    source = final_pdf(world.artifact.submission)
    before = _sha(source.file)
    stamp = _stamp(world, django_capture_on_commit_callbacks)

    assert stamp.status == "ready", stamp.message
    assert stamp.badges == LABELS and stamp.source_id == source.pk
    # The upload is untouched: same bytes, same row.
    source.refresh_from_db()
    assert _sha(source.file) == before
    original = pypdf.PdfReader(io.BytesIO(pdfs.paper(pages=2, references=True)))
    with stamp.file.open("rb") as handle:
        data = handle.read()
    stamped = pypdf.PdfReader(io.BytesIO(data))
    assert len(stamped.pages) == len(original.pages) == 3
    first = stamped.pages[0].extract_text()
    for label in ["Artifacts", "Available", "Results", "Reproduced"]:
        assert label in first
    assert "Functional" not in first  # not awarded
    assert "Reproduced" not in original.pages[0].extract_text()
    for page in range(1, 3):
        # The same encoded bytes, not only the same drawing.
        before_stream = original.pages[page]["/Contents"].get_object()
        after_stream = stamped.pages[page]["/Contents"].get_object()
        assert after_stream._data == before_stream._data
        assert after_stream.get("/Filter") == before_stream.get("/Filter")
        assert stamped.pages[page].extract_text() == original.pages[page].extract_text()
    # pdftotext (poppler) reads the labels too, in the top margin.
    path = tmp_path / "stamped.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-y", "0", "-H", "72", "-W", "612", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert "Available" in text and "Reproduced" in text
    assert AuditEvent.objects.filter(action="artifacts.stamp_queued", actor=world.ae_chair).exists()
    assert AuditEvent.objects.filter(action="artifacts.stamp_status").count() == 2


def test_the_seals_sit_in_the_top_margin_clear_of_the_text(tmp_path):
    source = tmp_path / "paper.pdf"
    source.write_bytes(pdfs.paper(pages=1, references=False))
    target = tmp_path / "out.pdf"
    answer = stamping.stamp(source, target, [("Artifacts Available", "#b35900")] * 3)
    assert answer["ok"] and answer["seal_height_in"] == 0.6 and answer["warnings"] == []
    # Above the title (which starts about 1 in from the top): nothing of the seals below it.
    below = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-y", "60", "-H", "732", "-W", "612", str(target), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert "Available" not in below


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (pdfs.encrypted_user_password(), "password"),
        (pdfs.truncated(), "incomplete"),
        (pdfs.NOT_A_PDF, "not a PDF"),
        (pdfs.content_bomb(), "inflates"),
        (pdfs.page_tree_loop(), "could not be read"),
        (pdfs.many_pages(), "at most 300"),
    ],
    ids=["encrypted", "truncated", "html", "bomb", "loop", "too-many-pages"],
)
def test_a_hostile_or_broken_pdf_fails_the_stamp_with_a_message(
    world, django_capture_on_commit_callbacks, data, message
):
    source = final_pdf(world.artifact.submission, data)
    before = _sha(source.file)
    stamp = _stamp(world, django_capture_on_commit_callbacks)
    assert stamp.status == "failed"
    assert message in stamp.message
    assert not stamp.file
    assert _sha(source.file) == before


def test_an_owner_password_pdf_is_stamped(world, django_capture_on_commit_callbacks):
    final_pdf(world.artifact.submission, pdfs.encrypted_owner_only())
    stamp = _stamp(world, django_capture_on_commit_callbacks)
    assert stamp.status == "ready", stamp.message


def test_a_child_killed_for_its_limits_is_a_failed_stamp_not_a_crash(tmp_path):
    source = tmp_path / "paper.pdf"
    source.write_bytes(pdfs.paper(pages=1, references=False))
    answer = stamping.stamp(source, tmp_path / "out.pdf", [("A", "#000000")], memory_mb=40)
    assert answer == {"ok": False, "message": answer["message"]}
    assert "could not be stamped" in answer["message"]
    assert not (tmp_path / "out.pdf").exists()


def test_a_stamp_that_times_out_says_so(tmp_path):
    source = tmp_path / "paper.pdf"
    source.write_bytes(pdfs.paper(pages=1, references=False))
    answer = stamping.stamp(source, tmp_path / "out.pdf", [("A", "#000000")], timeout_s=0.01)
    assert not answer["ok"] and "longer than" in answer["message"]


def test_an_unexpected_error_fails_the_stamp(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    final_pdf(world.artifact.submission)

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(stamping, "stamp", broken)
    stamp = _stamp(world, django_capture_on_commit_callbacks)
    assert stamp.status == "failed" and "worker log" in stamp.message


# --- When a stamp is queued ----------------------------------------------------------------------


def test_publishing_the_badges_queues_the_stamp_after_commit(
    django_capture_on_commit_callbacks,
):
    w = af.artifact_world(status="decided", badges=("available",))
    award(w.artifact, "available")
    final_pdf(w.artifact.submission)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        move(w.artifact, "published", mover="chair", actor=w.ae_chair)
        badges_published.send(sender=None, artifact=w.artifact, actor=w.ae_chair)
        # Nothing runs before the commit.
        assert StampedPaper.objects.get().status == "queued"
    stamp = StampedPaper.objects.get()
    assert stamp.status == "ready" and stamp.badges == ["Artifacts Available"]


def test_publishing_without_an_awarded_badge_or_a_final_pdf_stamps_nothing(
    django_capture_on_commit_callbacks,
):
    w = af.artifact_world(status="published", badges=("available",))
    badges_published.send(sender=None, artifact=w.artifact, actor=w.ae_chair)  # none awarded
    award(w.artifact, "available")
    badges_published.send(sender=None, artifact=w.artifact, actor=w.ae_chair)  # no final PDF
    assert not StampedPaper.objects.exists()


def test_a_new_final_pdf_after_publication_is_stamped(world, django_capture_on_commit_callbacks):
    first = final_pdf(world.artifact.submission)
    _stamp(world, django_capture_on_commit_callbacks)
    newer = final_pdf(world.artifact.submission, check_status="pending")
    report = {"valid": True, "pages": 3, "errors": [], "warnings": [], "text": ""}
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.apply_report(newer, report)
    stamps = list(StampedPaper.objects.order_by("pk"))
    assert [s.source_id for s in stamps] == [first.pk, newer.pk]
    assert stamps[1].status == "ready"
    # The older stamp's file is removed (regenerated data); its row stays.
    assert not stamps[0].file


def test_a_final_pdf_that_passes_while_a_stamp_runs_is_stamped_after_it(
    world, django_capture_on_commit_callbacks
):
    """Two camera-ready versions queued behind each other pass back to back: the second
    passes while the first one's stamp is still queued (refused then: one stamp at a time).
    When that stamp ends, the newer final PDF is stamped, so the proceedings' ZIP does not fall
    back to the unstamped final."""
    final_pdf(world.artifact.submission)
    _stamp(world, django_capture_on_commit_callbacks)
    second = final_pdf(world.artifact.submission, check_status="pending")
    third = final_pdf(world.artifact.submission, check_status="pending")
    report = {"valid": True, "pages": 3, "errors": [], "warnings": [], "text": ""}
    with django_capture_on_commit_callbacks() as checked:
        pipeline.apply_report(second, report)
    with django_capture_on_commit_callbacks() as stamp_task:
        for callback in checked:
            callback()  # the second version is final: its stamp is queued, not run yet
    assert StampedPaper.objects.latest("pk").source_id == second.pk
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.apply_report(third, report)  # final now, but the second's stamp is queued
    with django_capture_on_commit_callbacks(execute=True):
        for callback in stamp_task:
            callback()

    latest = StampedPaper.objects.latest("pk")
    assert (latest.source_id, latest.status) == (third.pk, "ready")
    assert [s.source_id for s in StampedPaper.objects.exclude(file="")] == [third.pk]


def test_a_paper_upload_or_a_failing_camera_ready_stamps_nothing(
    world, django_capture_on_commit_callbacks
):
    failing = final_pdf(world.artifact.submission, check_status="pending")
    report = {"valid": False, "pages": None, "errors": [{"code": "x", "message": "x"}]}
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.apply_report(failing, report)
    assert not StampedPaper.objects.exists()


def test_only_an_unconflicted_ae_chair_asks_for_a_stamp(world):
    final_pdf(world.artifact.submission)
    for person in (
        world.author,
        world.evaluator_a,
        world.other_evaluator,
        world.conflicted_ae_chair,
        world.outsider,
    ):
        with pytest.raises(PermissionDenied):
            services.request_stamp(world.artifact, actor=person)
    assert services.request_stamp(world.artifact, actor=world.program_chair).status == "queued"


def test_a_second_stamp_waits_for_the_first_and_a_stale_one_is_abandoned(world):
    final_pdf(world.artifact.submission)
    first = services.request_stamp(world.artifact, actor=world.ae_chair)
    with pytest.raises(services.StampRefused, match="already being stamped"):
        services.request_stamp(world.artifact, actor=world.ae_chair)
    StampedPaper.objects.filter(pk=first.pk).update(updated_at=timezone.now() - timedelta(hours=1))
    second = services.request_stamp(world.artifact, actor=world.ae_chair)
    first.refresh_from_db()
    assert first.status == "failed" and "Abandoned" in first.message
    # Its worker arriving late stamps nothing.
    from artifacts.badges.tasks import stamp_camera_ready

    assert stamp_camera_ready(stamped_id=first.pk) == "failed"
    assert second.status == "queued"


def test_the_task_is_idempotent_and_quiet_about_missing_stamps(
    world, django_capture_on_commit_callbacks
):
    from artifacts.badges.tasks import stamp_camera_ready

    final_pdf(world.artifact.submission)
    stamp = _stamp(world, django_capture_on_commit_callbacks)
    name = stamp.file.name
    assert stamp_camera_ready(stamped_id=stamp.pk) == "ready"
    stamp.refresh_from_db()
    assert stamp.file.name == name
    assert stamp_camera_ready(stamped_id=999999) is None


def test_nothing_to_stamp_is_refused_with_a_reason(world):
    with pytest.raises(services.StampRefused, match="no final PDF"):
        services.request_stamp(world.artifact, actor=world.ae_chair)
    from artifacts.models import RequestedBadge

    RequestedBadge.objects.filter(artifact=world.artifact).update(outcome="not_awarded")
    final_pdf(world.artifact.submission)
    with pytest.raises(services.StampRefused, match="No badge was awarded"):
        services.request_stamp(world.artifact, actor=world.ae_chair)


# --- Serving the stamped PDF -------------------------------------------------------------------


def test_the_stamped_pdf_is_served_to_authors_and_unconflicted_chairs_only(
    world, client, django_capture_on_commit_callbacks
):
    final_pdf(world.artifact.submission)
    stamp = _stamp(world, django_capture_on_commit_callbacks)
    url = files.url_for("stamped-paper", stamp)
    for person in (world.author, world.ae_chair, world.program_chair):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200, person
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    for person in (
        world.conflicted_ae_chair,
        world.evaluator_a,
        world.other_evaluator,
        world.outsider,
    ):
        client.force_login(person)
        assert client.get(url).status_code == 404, person
    client.logout()
    assert client.get(url).status_code == 302


def test_the_stamp_view_queues_a_stamp_and_refuses_others(
    world, client, django_capture_on_commit_callbacks
):
    final_pdf(world.artifact.submission)
    url = reverse(
        "artifacts:stamp",
        kwargs={"conference": world.conference.slug, "number": world.artifact.submission.number},
    )
    for person in (world.author, world.conflicted_ae_chair, world.evaluator_a, world.outsider):
        client.force_login(person)
        assert client.post(url).status_code == 404, person
    assert not StampedPaper.objects.exists()
    client.force_login(world.ae_chair)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response["Location"].endswith("#badges")
    assert StampedPaper.objects.get().status == "ready"
    # A second click while nothing is running stamps again; the message says so.
    response = client.post(url, follow=True)
    assert b"Stamping the badges" in response.content


def _label_positions(path, word="Available"):
    """Where poppler finds ``word`` on page 1: (x, y) from the media box's top left corner."""
    out = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-bbox", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return [
        (float(x), float(y))
        for x, y in re.findall(rf'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>{word}</word>', out)
    ]


def test_a_cropped_first_page_gets_its_seals_inside_the_visible_box(tmp_path):
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdfs.paper(pages=1))))
    writer.pages[0].cropbox = pypdf.generic.RectangleObject([36, 36, 576, 756])
    source = tmp_path / "cropped.pdf"
    with open(source, "wb") as handle:
        writer.write(handle)
    answer = stamping.stamp(source, tmp_path / "out.pdf", [("Artifacts Available", "#b35900")])
    # Half an inch less margin: smaller seals, and a warning that they may touch the text.
    assert answer["ok"] and answer["seal_height_in"] < 0.6 and answer["warnings"]
    ((x, y),) = _label_positions(tmp_path / "out.pdf")
    assert 36 < x < 576 and 36 < y < 72  # below the crop's top edge (36 pt from the media's)


def test_a_rotated_first_page_gets_its_seals_at_the_top_of_the_page_as_shown(tmp_path):
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdfs.paper(pages=1))))
    writer.pages[0].rotate(90)
    source = tmp_path / "rotated.pdf"
    with open(source, "wb") as handle:
        writer.write(handle)
    answer = stamping.stamp(source, tmp_path / "out.pdf", [("Artifacts Available", "#b35900")])
    assert answer["ok"]
    out = pypdf.PdfReader(tmp_path / "out.pdf").pages[0]
    assert out.rotation == 0 and (out.mediabox.width, out.mediabox.height) == (792, 612)
    ((x, y),) = _label_positions(tmp_path / "out.pdf")
    assert x > 792 - 2 * 72 and y < 72  # top right of the landscape page


def test_the_chair_deciding_and_publishing_stamps_the_camera_ready(
    django_capture_on_commit_callbacks,
):
    from artifacts.evaluation import decide

    w = af.artifact_world(status="discussion", badges=("available", "functional"))
    final_pdf(w.artifact.submission)
    outcomes = {
        rb.badge_id: ("awarded" if rb.badge.key == "available" else "not_awarded")
        for rb in w.artifact.requested_badges.select_related("badge")
    }
    decide.decide(actor=w.ae_chair, artifact=w.artifact, outcomes=outcomes, public_report="Ok.")
    w.artifact.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        decide.publish(actor=w.ae_chair, artifact=w.artifact)
    stamp = StampedPaper.objects.get()
    assert stamp.status == "ready" and stamp.badges == ["Artifacts Available"]

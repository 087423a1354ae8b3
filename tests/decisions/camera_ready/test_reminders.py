"""Reminders before the camera-ready deadline: authors of incomplete camera-readies, once per
threshold (7 and 2 days), listing what is missing; complete papers and archived conferences
are left alone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from decisions.camera_ready import queries, services
from decisions.camera_ready.tasks import remind_camera_ready
from decisions.models import CameraReadyReminder
from mlsys.celery import app
from mlsys.conferences.enums import DeadlineKind
from mlsys.conferences.models import Deadline
from mlsys.mail.models import OutboundEmail
from tests import factories
from tests.decisions.camera_ready.conftest import accepted_paper


def due_in(conference, days: float):
    Deadline.objects.filter(conference=conference, kind=DeadlineKind.CAMERA_READY).update(
        at=timezone.now() + timedelta(days=days)
    )
    conference.refresh_from_db()


def reminders():
    return OutboundEmail.objects.filter(template_key="decisions.camera_ready_reminder")


def test_no_reminder_ten_days_ahead(conference, paper):
    assert remind_camera_ready() == 0


def test_one_reminder_per_threshold(conference, paper, author):
    due_in(conference, 6)
    assert remind_camera_ready() == 1
    assert remind_camera_ready() == 0  # hourly runs: once per threshold
    email = reminders().get()
    assert email.to == sorted([author.email, "bob@lab.example.org"])
    assert "- a final PDF that passes the camera-ready check" in email.body
    assert "- accepting the licence" in email.body
    due_in(conference, 1.5)
    assert remind_camera_ready() == 1
    assert reminders().count() == 2
    assert sorted(CameraReadyReminder.objects.values_list("days", flat=True)) == [2, 7]


def test_a_late_first_reminder_is_sent_once(conference, paper):
    due_in(conference, 1)
    assert remind_camera_ready() == 1
    assert remind_camera_ready() == 0
    assert CameraReadyReminder.objects.count() == 2  # 7 counts as sent


def test_complete_papers_and_past_deadlines_get_none(conference, author, licence):
    done = accepted_paper(conference, author)
    factories.SubmissionFileFactory(submission=done, kind="camera_ready")
    services.set_final_authors(
        submission=done, actor=author, authors=queries.submitted_authors(done), confirm=True
    )
    services.accept_licence(submission=done, actor=author, version=1)
    due_in(conference, 6)
    assert remind_camera_ready() == 0
    due_in(conference, -1)
    assert remind_camera_ready() == 0


def test_archived_conferences_are_skipped(conference, paper):
    due_in(conference, 6)
    conference.archived_at = timezone.now()
    conference.save(update_fields=["archived_at"])
    assert remind_camera_ready() == 0


@pytest.mark.parametrize("n", [1, 10])
def test_reminder_query_count_grows_only_per_email(conference, n, django_assert_num_queries):
    for _ in range(n):
        accepted_paper(conference)
    due_in(conference, 6)
    with django_assert_num_queries(3):
        services.due_threshold(conference, timezone.now())
        list(queries.filtered(queries.accepted_papers(conference), "incomplete"))
        queries.final_pdfs(conference)


def test_the_task_is_scheduled_hourly_and_found_by_the_worker(settings):
    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["remind-camera-ready"]
    assert (entry["task"], entry["schedule"]) == ("decisions.remind_camera_ready", 3600.0)
    assert "decisions.remind_camera_ready" in app.tasks

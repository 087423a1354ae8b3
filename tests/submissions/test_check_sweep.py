"""No PDF check lost to a broker outage: the upload succeeds and says so, the sweep and the
``requeue_checks`` command queue what was left pending, and checks finishing out of order keep
the newest usable version current (issue 13).

The broker here is real but unreachable (a Redis URL on a closed port), so publishing raises
kombu's own ``OperationalError`` after a real connection attempt; nothing is mocked.
"""

import logging
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from mlsys.celery import app, enqueue_on_commit
from submissions import check_queue, enums, queries, services
from submissions.models import SubmissionFile
from submissions.tasks import process_file, sweep_checks
from tests.submissions import pdfs
from tests.submissions.author_helpers import pdf_upload, register, url

pytestmark = pytest.mark.django_db


def _pending_files(submission, n: int) -> list[SubmissionFile]:
    """``n`` paper versions stored without running their check (no on-commit callbacks run)."""
    return [
        services.upload_paper(
            submission=submission, actor=_contact(submission), upload=pdf_upload(data)
        )
        for data in [pdfs.paper(pages=2 + i) for i in range(n)]
    ]


def _contact(submission):
    return submission.authors.get(is_contact=True).user


def _age(files, *, queued_seconds_ago: int | None) -> None:
    queued = (
        None
        if queued_seconds_ago is None
        else timezone.now() - timedelta(seconds=queued_seconds_ago)
    )
    SubmissionFile.objects.filter(pk__in=[f.pk for f in files]).update(check_queued_at=queued)


# --- Broker down during an upload -----------------------------------------------------------


# Committed for real (transaction=True): the check is queued when the upload commits, before
# the page answers, as in production.
@pytest.mark.django_db(transaction=True)
def test_upload_through_the_page_with_the_broker_down_succeeds_and_says_the_check_follows(
    client, conference, author, broker_down, caplog
):
    register(conference, author)
    client.force_login(author)
    response = client.post(
        url("upload", conference, number=1, kind="paper"),
        {"file": pdf_upload(pdfs.paper(pages=2))},
    )

    assert response.status_code == 302
    stored = SubmissionFile.objects.get()
    assert (stored.check_status, stored.check_queued_at) == (enums.CheckStatus.PENDING, None)
    assert "left for the sweep" in caplog.text
    page = client.get(response.url)
    assert "your file is safely stored and its check will run automatically" in page.text
    report = client.get(url("report", conference, number=1), headers={"HX-Request": "true"})
    assert "The checker cannot be reached right now" in report.text
    assert 'hx-trigger="every 1s"' in report.text


# Committed for real (transaction=True): the check is queued when the upload commits, before
# the page answers, as in production.
@pytest.mark.django_db(transaction=True)
def test_upload_through_the_api_with_the_broker_down_answers_201_pending(
    client, conference, author, broker_down
):
    register(conference, author)
    client.force_login(author)
    response = client.post(
        f"/api/v1/conferences/{conference.slug}/submissions/1/files/",
        {"kind": "paper", "file": pdf_upload(pdfs.paper(pages=2))},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["check_status"], body["check_queued_at"]) == ("pending", None)
    assert SubmissionFile.objects.get().pk == body["id"]


def test_enqueue_on_commit_with_the_broker_down_logs_instead_of_failing(
    broker_down, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit("submissions.recompute_conflicts", conference_id=1)

    assert "task submissions.recompute_conflicts({'conference_id': 1}) was not queued" in (
        caplog.text
    )


# --- The sweep and the command --------------------------------------------------------------


def test_sweep_with_the_broker_down_leaves_the_checks_pending(submission, broker_down, caplog):
    files = _pending_files(submission, 2)
    _age(files, queued_seconds_ago=None)

    with caplog.at_level(logging.WARNING):
        assert sweep_checks() == 0

    assert "2 stale check(s) stay pending for the next sweep" in caplog.text
    assert set(SubmissionFile.objects.values_list("check_status", "check_queued_at")) == {
        (enums.CheckStatus.PENDING, None)
    }


def test_sweep_checks_what_was_never_queued_or_queued_too_long_ago(submission):
    never, lost, fresh = _pending_files(submission, 3)
    _age([never], queued_seconds_ago=None)
    _age([lost], queued_seconds_ago=settings.CHECK_REQUEUE_AFTER + 1)
    _age([fresh], queued_seconds_ago=settings.CHECK_REQUEUE_AFTER - 30)

    assert sweep_checks() == 2

    status = dict(SubmissionFile.objects.values_list("pk", "check_status"))
    assert status[never.pk] == status[lost.pk] == enums.CheckStatus.PASSED
    assert status[fresh.pk] == enums.CheckStatus.PENDING
    submission.refresh_from_db()
    assert submission.current_paper_id == lost.pk
    # Idempotent: nothing left to do until the fresh one's time has passed too.
    assert sweep_checks() == 0


def test_sweep_is_bounded_and_takes_the_oldest_first(submission, monkeypatch):
    files = _pending_files(submission, 3)
    _age(files, queued_seconds_ago=None)
    monkeypatch.setattr(check_queue, "SWEEP_LIMIT", 2)

    assert sweep_checks() == 2

    assert SubmissionFile.objects.get(check_status=enums.CheckStatus.PENDING) == files[2]


def test_a_requeued_check_that_already_finished_is_not_run_again(submission):
    [stored] = _pending_files(submission, 1)
    process_file(file_id=stored.pk)
    stored.refresh_from_db()
    checked_at = stored.checked_at

    assert process_file(file_id=stored.pk, only_if_pending=True) is None

    stored.refresh_from_db()
    assert stored.checked_at == checked_at


def test_requeue_checks_command_dry_run_lists_and_queues_nothing(submission, capsys):
    never, fresh = _pending_files(submission, 2)
    _age([never], queued_seconds_ago=None)

    call_command("requeue_checks", "--dry-run")

    out = capsys.readouterr().out
    assert "1 pending check(s) never queued or last queued over 360 s ago." in out
    assert f"file {never.pk}: mlsys2027 #{submission.number} paper" in out
    assert "never queued" in out
    assert "Dry run: nothing queued." in out
    # The recently queued one is not listed, but not hidden either: something is waiting.
    assert f"file {fresh.pk}:" not in out
    assert "1 other pending check(s) were queued less than 360 s ago" in out
    assert SubmissionFile.objects.filter(check_status=enums.CheckStatus.PENDING).count() == 2


def test_requeue_checks_command_queues_every_pending_check_of_a_conference(
    submission, conference, capsys
):
    _pending_files(submission, 2)

    call_command("requeue_checks", "--older-than", "0", "--conference", conference.slug)

    out = capsys.readouterr().out
    assert "2 pending check(s) in mlsys2027 never queued or last queued over 0 s ago." in out
    assert "Queued 2." in out
    assert not SubmissionFile.objects.filter(check_status=enums.CheckStatus.PENDING).exists()


def test_requeue_checks_command_with_the_broker_down_exits_1_and_keeps_the_rows(
    submission, broker_down, capsys
):
    _pending_files(submission, 2)

    with pytest.raises(SystemExit) as exit_info:
        call_command("requeue_checks", "--older-than", "0")

    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert "Queued 0." in captured.out
    assert "The broker could not be reached: 2 check(s) not queued" in captured.err
    assert SubmissionFile.objects.filter(check_status=enums.CheckStatus.PENDING).count() == 2


def test_requeue_checks_command_refuses_an_unknown_conference():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No conference 'nope'"):
        call_command("requeue_checks", "--conference", "nope")


# --- Settings that make recovery work -------------------------------------------------------


def test_the_sweep_runs_every_minute_on_the_beat():
    assert settings.CELERY_BEAT_SCHEDULE["sweep-checks"] == {
        "task": "submissions.sweep_checks",
        "schedule": 60.0,
    }
    assert "submissions.sweep_checks" in app.tasks


def test_visibility_timeout_exceeds_every_task_time_limit():
    """Redis gives an unacknowledged message to another worker after the visibility timeout; a
    task still running then would run twice. So it must outlast the longest hard time limit."""
    app.loader.import_default_modules()
    limits = {settings.CELERY_TASK_TIME_LIMIT} | {
        task.time_limit for task in app.tasks.values() if task.time_limit
    }
    assert max(limits) >= 3700  # decisions.build_proceedings, the longest today
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > max(limits)
    assert settings.CHECK_REQUEUE_AFTER >= settings.CELERY_TASK_TIME_LIMIT


# --- Co-authors at once: checks finishing out of order --------------------------------------


def test_checks_finishing_out_of_order_keep_the_newest_usable_version_current(submission):
    older, newer = _pending_files(submission, 2)

    process_file(file_id=newer.pk)
    submission.refresh_from_db()
    assert submission.current_paper_id == newer.pk
    process_file(file_id=older.pk)

    submission.refresh_from_db()
    assert submission.current_paper_id == newer.pk
    assert set(SubmissionFile.objects.values_list("check_status", flat=True)) == {
        enums.CheckStatus.PASSED
    }


def test_an_unusable_newer_version_leaves_the_older_one_current_whatever_the_order(submission):
    good = _pending_files(submission, 1)[0]
    bad = services.upload_paper(
        submission=submission,
        actor=_contact(submission),
        upload=pdf_upload(pdfs.truncated()),
    )

    process_file(file_id=bad.pk)
    submission.refresh_from_db()
    assert submission.current_paper_id is None
    process_file(file_id=good.pk)

    submission.refresh_from_db()
    assert submission.current_paper_id == good.pk


# --- For monitoring -------------------------------------------------------------------------


def test_oldest_pending_check_is_the_upload_time_of_the_oldest_waiting_file(submission):
    assert queries.oldest_pending_check() is None
    first, second = _pending_files(submission, 2)
    SubmissionFile.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(minutes=9)
    )
    first.refresh_from_db()

    assert queries.oldest_pending_check() == first.created_at
    process_file(file_id=first.pk)
    assert queries.oldest_pending_check() == second.created_at

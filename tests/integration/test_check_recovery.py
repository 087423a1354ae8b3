"""PDF checks lost to a fault come back through the sweep: real Redis, real worker processes on
PostgreSQL (issue 13).

- A whole worker killed (SIGKILL) mid-check: with ``acks_late`` Redis keeps the message
  unacknowledged until its visibility timeout (over an hour), so a new worker does not get it;
  the sweep queues the check again and the new worker finishes it.
- The broker down when the upload commits (another process, as a web server): the upload is
  kept, pending and marked not queued; once the broker is back, the sweep gets it checked.
"""

import time

import pytest

from submissions import enums, pipeline
from submissions.models import SubmissionFile
from submissions.tasks import sweep_checks
from tests.integration.conftest import run_with_broker_down, wait_until
from tests.submissions import pdfs
from tests.submissions.pipeline_helpers import make_submission

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
#: The worker consumes the queue PDF checks are routed to, and the default one (the sweep).
QUEUES = "checks,celery"


def _status(file_id: int) -> str:
    return SubmissionFile.objects.values_list("check_status", flat=True).get(pk=file_id)


def test_a_check_whose_worker_is_killed_is_finished_by_a_new_worker_after_the_sweep(
    live_tasks, worker_factory, conference
):
    submission = make_submission(conference)
    worker = worker_factory(queues=QUEUES)
    # A real slow input: a page whose content inflates to 1 GiB keeps the checker busy for
    # seconds (until it hits its memory limit), long enough to kill the worker meanwhile.
    stored = pipeline.store_file(
        submission=submission,
        kind=enums.FileKind.PAPER,
        name="bomb.pdf",
        data_or_file=pdfs.content_bomb(),
        uploaded_by=None,
    )
    wait_until(
        lambda: "Task submissions.process_file[" in worker.log(),
        message=f"the worker never received the check; log:\n{worker.log()}",
    )
    worker.kill()
    assert _status(stored.pk) == enums.CheckStatus.PENDING, (
        f"the check finished before the kill, the fault was not reproduced:\n{worker.log()}"
    )

    # A new worker does not get the unacknowledged message back (visibility timeout) ...
    replacement = worker_factory(queues=QUEUES, purge=False)
    time.sleep(5)
    assert _status(stored.pk) == enums.CheckStatus.PENDING
    # ... the sweep (every minute on the beat; here at once, with no waiting threshold) does.
    sweep_checks.delay(older_than_seconds=0)

    wait_until(
        lambda: _status(stored.pk) != enums.CheckStatus.PENDING,
        timeout=60,
        message=f"file {stored.pk} still pending; worker log:\n{replacement.log()}",
    )
    stored.refresh_from_db()
    assert stored.check_status == enums.CheckStatus.INVALID
    assert stored.report["errors"][0]["code"] == "resource_limit"
    assert "submissions.sweep_checks" in replacement.log()


def test_a_check_not_queued_in_a_broker_outage_is_checked_after_the_sweep(
    live_tasks, worker_factory, conference
):
    submission = make_submission(conference)
    # A web process stores an upload while its broker can't be reached.
    script = (
        "from submissions import pipeline\n"
        "from submissions.models import Submission\n"
        f"submission = Submission.objects.get(pk={submission.pk})\n"
        "from tests.submissions import pdfs\n"
        "stored = pipeline.store_file(submission=submission, kind='paper', name='p.pdf',\n"
        "    data_or_file=pdfs.paper(pages=2), uploaded_by=None)\n"
        "print(stored.pk)\n"
    )
    result = run_with_broker_down(script)
    assert "left for the sweep" in result.stderr
    stored = SubmissionFile.objects.get(pk=int(result.stdout.split()[-1]))
    assert (stored.check_status, stored.check_queued_at) == (enums.CheckStatus.PENDING, None)

    # The broker is back: the beat's sweep (default threshold) queues what was never queued.
    worker = worker_factory(queues=QUEUES)
    sweep_checks.delay()

    wait_until(
        lambda: _status(stored.pk) == enums.CheckStatus.PASSED,
        timeout=60,
        message=f"file {stored.pk} still {_status(stored.pk)}; worker log:\n{worker.log()}",
    )

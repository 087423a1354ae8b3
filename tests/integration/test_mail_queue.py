"""Mail and PDF checks on separate queues (issue 13): a hanging SMTP server holds the mail
worker, never the PDF checks. Real Redis, two real worker processes as deployed (one consuming
``checks,celery``, one ``mail``), and a real socket that accepts connections and never answers."""

import pytest

from mlsys.mail.models import OutboundEmail
from mlsys.mail.services import queue_email
from submissions import enums, pipeline
from tests.integration.conftest import wait_until
from tests.smtp_server import hanging_port
from tests.submissions import pdfs
from tests.submissions.pipeline_helpers import make_submission

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_check_completes_while_the_mail_worker_is_stuck_on_a_hanging_smtp_server(
    live_tasks, worker_factory, settings, conference
):
    media = settings.STORAGES["default"]["OPTIONS"]["location"]
    paper = pdfs.paper()
    with hanging_port() as port:
        mail_worker = worker_factory(
            queues="mail",
            EMAIL_URL=f"smtp://127.0.0.1:{port}",
            EMAIL_TIMEOUT="120",  # longer than the test: the worker stays stuck throughout
            MEDIA_ROOT=str(media),
        )
        checks_worker = worker_factory(queues="checks,celery", MEDIA_ROOT=str(media))

        email = queue_email(to=["someone@example.org"], subject="Stuck", body="Hanging SMTP.")
        wait_until(
            lambda: OutboundEmail.objects.get(pk=email.pk).status == OutboundEmail.Status.SENDING,
            message=f"the mail worker never took the email:\n{mail_worker.log()}",
        )

        stored = pipeline.store_file(
            submission=make_submission(conference),
            kind=enums.FileKind.PAPER,
            name="paper.pdf",
            data_or_file=paper,
            uploaded_by=None,
        )
        wait_until(
            lambda: (
                type(stored).objects.get(pk=stored.pk).check_status != enums.CheckStatus.PENDING
            ),
            timeout=90,
            message=f"the PDF check did not finish:\n{checks_worker.log()}",
        )
        stored.refresh_from_db()
        assert stored.check_status in (enums.CheckStatus.PASSED, enums.CheckStatus.WARNINGS)
        assert "submissions.process_file[" in checks_worker.log()
        assert "submissions.process_file[" not in mail_worker.log()
        # The email is still being sent: the mail worker is still waiting on the server.
        assert OutboundEmail.objects.get(pk=email.pk).status == OutboundEmail.Status.SENDING

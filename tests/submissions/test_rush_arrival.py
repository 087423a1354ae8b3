"""Issue 13, deadline rush: a request is judged by when it reached our proxy, not by when a busy
worker got to it. The proxy's ``X-Request-Start`` is believed only from ``TRUSTED_PROXIES``.

Each test sets the deadline (plus grace) 2 s in the server's past, as if the request waited 4 s
in the queues: the proxy says it arrived 2 s before the deadline.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences.enums import DeadlineKind
from submissions.models import SubmissionFile
from tests.submissions import pdfs
from tests.submissions.author_helpers import move_deadline, pdf_upload, register, url

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


@pytest.fixture
def submission(conference, author):
    return register(conference, author)


@pytest.fixture
def closed_two_seconds_ago(conference, submission, settings):
    """Deadline + grace passed 2 s ago (after ``submission`` was registered); returns the header
    a proxy would have sent for a request that reached it 2 s before the deadline."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    end = timezone.now() - timedelta(seconds=2)
    grace = timedelta(minutes=conference.submission_grace_minutes)
    move_deadline(conference, DeadlineKind.SUBMISSION, end - grace)
    sent = end - timedelta(seconds=2)
    return f"t={sent.timestamp():.3f}"


def post_upload(client, conference, header, remote_addr):
    return client.post(
        url("upload", conference, number=1, kind="paper"),
        {"file": pdf_upload(pdfs.paper(pages=2))},
        REMOTE_ADDR=remote_addr,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        HTTP_X_REQUEST_START=header,
    )


def test_upload_that_reached_the_proxy_before_the_deadline_is_accepted(
    client, conference, author, closed_two_seconds_ago
):
    client.force_login(author)

    response = post_upload(client, conference, closed_two_seconds_ago, PROXY)

    assert response.status_code == 302, response.text
    assert SubmissionFile.objects.count() == 1


def test_the_same_header_from_an_untrusted_address_is_ignored(
    client, conference, author, closed_two_seconds_ago
):
    client.force_login(author)

    response = post_upload(client, conference, closed_two_seconds_ago, "203.0.113.9")

    assert response.status_code == 400
    assert "uploads are closed" in response.text
    assert not SubmissionFile.objects.exists()


def test_the_header_is_ignored_when_no_proxy_is_trusted(
    client, conference, author, closed_two_seconds_ago, settings
):
    settings.TRUSTED_PROXIES = []
    client.force_login(author)

    response = post_upload(client, conference, closed_two_seconds_ago, PROXY)

    assert response.status_code == 400
    assert not SubmissionFile.objects.exists()


def test_an_arrival_claimed_long_ago_cannot_reopen_a_closed_deadline(
    client, conference, author, submission, settings
):
    """A proxy clock an hour behind (or a forged header) is clamped to 60 s before the server's
    time: a deadline that closed 10 minutes ago stays closed."""
    settings.TRUSTED_PROXIES = [PROXY]
    move_deadline(
        conference,
        DeadlineKind.SUBMISSION,
        timezone.now()
        - timedelta(minutes=conference.submission_grace_minutes)
        - timedelta(minutes=10),
    )
    an_hour_ago = timezone.now() - timedelta(hours=1)
    client.force_login(author)

    response = post_upload(client, conference, f"t={an_hour_ago.timestamp():.3f}", PROXY)

    assert response.status_code == 400
    assert "uploads are closed" in response.text


def test_api_upload_that_reached_the_proxy_before_the_deadline_is_accepted(
    client, conference, author, closed_two_seconds_ago
):
    client.force_login(author)
    files_url = reverse(
        "api-submission-file-list", kwargs={"conference": conference.slug, "number": 1}
    )

    def post(remote_addr):
        return client.post(
            files_url,
            {"kind": "paper", "file": pdf_upload(pdfs.paper(pages=2))},
            REMOTE_ADDR=remote_addr,
            HTTP_X_REQUEST_START=closed_two_seconds_ago,
        )

    refused = post("203.0.113.9")
    assert refused.status_code == 400, refused.content
    assert "uploads are closed" in str(refused.json())

    accepted = post(PROXY)
    assert accepted.status_code == 201, accepted.content
    assert SubmissionFile.objects.count() == 1


def test_editing_through_the_page_uses_the_arrival_time(
    client, conference, author, submission, closed_two_seconds_ago
):
    from tests.submissions.author_helpers import edit_data

    client.force_login(author)
    edit_url = url("detail", conference, number=1)
    data = edit_data(submission, title="Renamed in the last second")

    late = client.post(
        edit_url, data, REMOTE_ADDR="203.0.113.9", HTTP_X_REQUEST_START=closed_two_seconds_ago
    )
    submission.refresh_from_db()
    assert submission.title != "Renamed in the last second", late.status_code

    client.post(edit_url, data, REMOTE_ADDR=PROXY, HTTP_X_REQUEST_START=closed_two_seconds_ago)
    submission.refresh_from_db()
    assert submission.title == "Renamed in the last second"

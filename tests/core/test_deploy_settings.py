"""Security headers that `manage.py check --deploy` asks for (see docs/deploy.md, "HTTPS")."""

from django.urls import reverse

from mlsys.core import files
from tests import factories


def test_pages_may_not_be_framed(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"


def test_the_paper_pdf_may_be_framed_by_the_site_itself(client, conference, author):
    submission = factories.SubmissionFactory(conference=conference, authors=[author])
    paper = factories.SubmissionFileFactory(submission=submission)
    client.force_login(author)
    response = client.get(files.url_for("submission-file", paper))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    # The review page shows it in an <object> on the same site.
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    response.close()


def test_health_check_is_never_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("healthz")).status_code == 200
    response = client.get(reverse("home"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"

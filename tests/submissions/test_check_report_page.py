"""The author's check report: anonymity findings with their own label and hint, measurements in
words and units, and the report URL as a whole page unless htmx asks for the fragment."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from submissions import enums, services
from tests.submissions import pdfs
from tests.submissions.author_helpers import register, upload_checked

pytestmark = pytest.mark.django_db


def report_url(conference, number=1) -> str:
    return reverse("submissions:report", kwargs={"conference": conference.slug, "number": number})


def leaky_for(author) -> bytes:
    return pdfs.paper(pages=2, authors=((author.name, "", author.email),))


def test_opened_directly_the_report_is_a_whole_page(
    client, conference, author, django_capture_on_commit_callbacks
):
    submission = register(conference, author)
    upload_checked(
        submission, author, pdfs.paper(pages=2), capture=django_capture_on_commit_callbacks
    )
    client.force_login(author)

    page = client.get(report_url(conference))
    assert page.status_code == 200
    html = page.text
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert '<html lang="en"' in html
    assert f"<title>Check report · #1 {submission.title}" in html
    assert '<main id="main"' in html and 'id="check-report"' in html

    fragment = client.get(report_url(conference), headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<section id="check-report"')
    assert "<html" not in fragment.text and "<title>" not in fragment.text


def test_anonymity_failure_has_its_own_label_wording_and_hint(
    client, conference, author, django_capture_on_commit_callbacks
):
    submission = register(conference, author)
    stored = upload_checked(
        submission, author, leaky_for(author), capture=django_capture_on_commit_callbacks
    )
    assert stored.check_status == enums.CheckStatus.FAILED and stored.anonymity_failed
    client.force_login(author)

    html = client.get(report_url(conference), headers={"HX-Request": "true"}).text
    assert "Names its authors (anonymity check failed)" in html
    assert "Violates the format spec" not in html
    assert "Format errors" not in html
    assert f"The author name “{author.name}” appears in the text (page 1)." in html
    assert "Remove these from the paper and upload it again" in html
    assert "<strong>Reviewers do not get this version</strong>: it names its authors." in html
    assert "They get no PDF until a version passes the anonymity check." in html

    submission.refresh_from_db()
    missing = services.missing_requirements(submission)
    assert missing == [
        "a PDF that does not name its authors (see the anonymity findings in the check report)"
    ]
    assert not any("format errors" in item for item in missing)
    with pytest.raises(ValidationError, match="does not name its authors"):
        services.change_status(submission=submission, actor=author, to="submitted")


def test_format_and_anonymity_failures_are_told_apart(
    client, conference, author, django_capture_on_commit_callbacks
):
    submission = register(conference, author)
    data = pdfs.paper(pages=2, font_pt=7, authors=((author.name, "", author.email),))
    stored = upload_checked(submission, author, data, capture=django_capture_on_commit_callbacks)
    assert stored.status_label == "Violates the format spec and names its authors"
    submission.refresh_from_db()
    assert services.missing_requirements(submission) == [
        "a PDF that does not name its authors (see the anonymity findings in the check report)",
        "a PDF without format errors (see the check report)",
    ]
    client.force_login(author)
    html = client.get(report_url(conference), headers={"HX-Request": "true"}).text
    assert "<h3>Format errors</h3>" in html and "The body text is set in 7 pt" in html


def test_measurements_read_as_words_with_units(
    client, conference, author, django_capture_on_commit_callbacks
):
    submission = register(conference, author)
    upload_checked(
        submission, author, pdfs.paper(pages=2), capture=django_capture_on_commit_callbacks
    )
    client.force_login(author)

    html = client.get(report_url(conference), headers={"HX-Request": "true"}).text
    for label, value in [
        ("Paper size", "US Letter"),
        ("Page width", "8.5 in"),
        ("Page height", "11 in"),
        ("Body font size", "10 pt"),
        ("Columns", "2"),
        ("Pages counted toward the limit", "2"),
    ]:
        assert f"<dt>{label}</dt><dd>{value}</dd>" in html
    assert "Page width in" not in html and "Body font size</dt><dd>10.0" not in html

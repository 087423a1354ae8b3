"""The letters page, preview, PDF download and API: chairs only, conflicted chairs kept away from
their papers' letters, authors reading their decision only after release, constant queries."""

import pytest
from django.urls import reverse

from decisions import services as decision_services
from decisions.letters import services
from decisions.models import LetterEmail
from mlsys.mail.models import OutboundEmail
from tests import factories
from tests.decisions.letters.conftest import decide, reviewed_paper


def drain(response) -> bytes:
    """Read a file response and close its file, without ``response.close()`` (that fires
    request_finished, which closes the test's database connection on PostgreSQL)."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    data = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return data


def u(name, conference, **kwargs):
    return reverse(name, kwargs={"conference": conference.slug, **kwargs})


def released(conference, chair, paper, outcome):
    decide(paper, outcome, chair)
    decision_services.release_decisions(conference=conference, actor=chair)


def test_chair_prepares_previews_and_sends_from_the_page(
    client, conference, chair, paper, outcomes, django_capture_on_commit_callbacks
):
    released(conference, chair, paper, outcomes["oral"])
    client.force_login(chair)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(u("decisions:letters_action", conference, action="prepare"))
    page = client.get(u("decisions:letters", conference))
    assert page.context["counts"]["held"] == 2
    letter = LetterEmail.objects.first()
    preview = client.get(u("decisions:letter_preview", conference, pk=letter.pk))
    assert preview.status_code == 200
    assert "Reviewer A" in preview.content.decode()
    assert "Rita" not in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(u("decisions:letters_action", conference, action="send"))
    assert OutboundEmail.objects.filter(status="sent").count() == 2


def test_discarding_needs_the_confirmation_of_what_it_touches(
    client, conference, chair, paper, outcomes
):
    released(conference, chair, paper, outcomes["oral"])
    services.prepare_letters(conference=conference, actor=chair)
    client.force_login(chair)
    action = u("decisions:letters_action", conference, action="discard")
    client.post(action, {"expected": "2"})
    assert OutboundEmail.objects.filter(status="held").count() == 2
    client.post(action, {"expected": "5", "confirm": "1"})
    assert OutboundEmail.objects.filter(status="held").count() == 2
    client.post(action, {"expected": "2", "confirm": "1"})
    assert not OutboundEmail.objects.exists()


def test_authors_see_nothing_before_release_and_the_decision_and_letter_after(
    client, conference, chair, paper, outcomes, author
):
    decide(paper, outcomes["poster"], chair)
    client.force_login(author)
    detail = u("submissions:detail", conference, number=paper.number)
    response_page = u("reviews:response", conference, number=paper.number)
    pdf = u("decisions:letter_pdf", conference, number=paper.number)
    html = client.get(detail).content.decode()
    assert "Accept (poster)" not in html and "Decision" not in html
    assert "Accept" not in client.get(response_page).content.decode()
    assert client.get(pdf).status_code == 404
    decision_services.release_decisions(conference=conference, actor=chair)
    html = client.get(detail).content.decode()
    assert "Decision: Accept (poster)" in html
    assert "The committee liked the kernels." in html
    reviews = client.get(response_page).content.decode()
    assert "Decision: Accept (poster)" in reviews and "Solid work" in reviews
    assert "SECRET-PC-ONLY" not in reviews
    redirect = client.get(pdf)
    assert redirect.status_code == 302
    served = client.get(redirect["Location"])
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    drain(served)


def test_a_per_track_release_shows_the_meta_review_to_its_authors(
    client, conference, chair, paper, outcomes, author
):
    decide(paper, outcomes["oral"], chair)
    decision_services.release_decisions(conference=conference, actor=chair, track=paper.track)
    conference.refresh_from_db()
    assert conference.decisions_released_at is None
    client.force_login(author)
    html = client.get(u("reviews:response", conference, number=paper.number)).content.decode()
    assert "The committee liked the kernels." in html


@pytest.mark.parametrize("role", ["ml_reviewer", "author", "outsider", "conflicted_chair"])
def test_letter_pages_refuse_others(client, conference, chair, paper, outcomes, role, request):
    released(conference, chair, paper, outcomes["oral"])
    services.prepare_letters(conference=conference, actor=chair)
    user = request.getfixturevalue(role)
    factories.ConflictFactory(submission=paper, user=request.getfixturevalue("conflicted_chair"))
    client.force_login(user)
    letter = LetterEmail.objects.first()
    assert client.get(u("decisions:letter_preview", conference, pk=letter.pk)).status_code == 404
    if role == "author":
        return  # the paper's author reads their letter PDF (tested above)
    assert client.get(u("decisions:letter_pdf", conference, number=paper.number)).status_code == 404
    if role != "conflicted_chair":
        assert client.get(u("decisions:letters", conference)).status_code == 404
        client.post(u("decisions:letters_action", conference, action="send"))
    assert OutboundEmail.objects.filter(status="held").count() == 2


def test_a_conflicted_chair_lists_no_letter_of_their_conflicted_paper(
    client, conference, chair, conflicted_chair, paper, outcomes, author
):
    other = reviewed_paper(conference, author, number=2, title="Other")
    factories.ConflictFactory(submission=paper, user=conflicted_chair, state="confirmed")
    decide(other, outcomes["reject"], chair)
    released(conference, chair, paper, outcomes["oral"])
    services.prepare_letters(conference=conference, actor=chair)
    client.force_login(conflicted_chair)
    page = client.get(u("decisions:letters", conference))
    assert page.context["counts"]["held"] == 2
    assert {row.decision.submission.number for row in page.context["letters"]} == {2}
    assert "Accept (oral)" not in page.content.decode()


@pytest.mark.parametrize("role", ["ml_reviewer", "author", "outsider", "conflicted_chair"])
def test_the_letters_api_refuses_others(api, conference, chair, paper, outcomes, role, request):
    released(conference, chair, paper, outcomes["oral"])
    services.prepare_letters(conference=conference, actor=chair)
    factories.ConflictFactory(submission=paper, user=request.getfixturevalue("conflicted_chair"))
    api.force_authenticate(request.getfixturevalue(role))
    listing = api.get(u("api-decision-letters", conference))
    send = api.post(u("api-decision-letters-send", conference))
    pdf = api.get(u("api-decision-letter-pdf", conference, number=paper.number))
    drain(pdf)
    if role == "conflicted_chair":
        assert listing.status_code == 200 and listing.json()["results"] == []
        assert send.json() == {"count": 0}
        assert pdf.status_code == 404
    elif role == "author":
        assert (listing.status_code, send.status_code, pdf.status_code) == (404, 404, 200)
    else:
        assert (listing.status_code, send.status_code, pdf.status_code) == (404, 404, 404)
    assert OutboundEmail.objects.filter(status="held").count() == 2


def test_the_letters_api_for_chairs(
    api, conference, chair, paper, outcomes, django_capture_on_commit_callbacks
):
    released(conference, chair, paper, outcomes["oral"])
    api.force_authenticate(chair)
    for _ in range(2):  # preparing twice adds nothing
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post(u("api-decision-letters-prepare", conference))
        assert (response.status_code, response.json()) == (202, {"queued": True})
    assert OutboundEmail.objects.filter(status="held").count() == 2
    rows = api.get(u("api-decision-letters", conference)).json()["results"]
    assert len(rows) == 2 and "Reviewer A" in rows[0]["body"]
    assert api.post(u("api-decision-letters-discard", conference)).json() == {"count": 2}
    assert api.get(u("api-decision-letters", conference)).json()["results"] == []


def test_anonymous_api_and_pages(client, api, conference, paper):
    assert client.get(u("decisions:letters", conference)).status_code == 302
    assert api.get(u("api-decision-letters", conference)).status_code in (401, 403)
    assert api.get(u("api-decision-letter-pdf", conference, number=1)).status_code in (401, 403)


@pytest.mark.parametrize("n", [1, 10])
def test_the_letters_page_costs_the_same_for_1_and_10_papers(
    client, conference, chair, author, outcomes, n, django_assert_num_queries
):
    for number in range(1, n + 1):
        paper = reviewed_paper(conference, author, number=number)
        decide(paper, outcomes["oral"], chair)
    decision_services.release_decisions(conference=conference, actor=chair)
    services.prepare_letters(conference=conference, actor=chair)
    client.force_login(chair)
    client.get(u("decisions:letters", conference))
    with django_assert_num_queries(14):
        client.get(u("decisions:letters", conference))


def test_the_authors_api_and_emails_say_nothing_before_release(
    api, conference, chair, paper, outcomes, author, django_capture_on_commit_callbacks
):
    decide(paper, outcomes["reject"], chair)
    api.force_authenticate(author)
    detail = u("api-submission-detail", conference, number=paper.number)
    body = api.get(detail).json()
    assert body["status"] == "submitted"
    assert "Reject" not in str(body)
    assert api.get(u("api-decision-letter-pdf", conference, number=paper.number)).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        services.request_preparation(conference=conference, actor=chair)
    assert not OutboundEmail.objects.exists()  # no letter for a pending decision
    decision_services.release_decisions(conference=conference, actor=chair)
    assert api.get(detail).json()["status"] == "rejected"
    pdf = api.get(u("api-decision-letter-pdf", conference, number=paper.number))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    drain(pdf)


def test_stored_letters_and_zips_are_served_only_to_who_may_read_them(
    client,
    conference,
    chair,
    conflicted_chair,
    paper,
    outcomes,
    outsider,
    ml_reviewer,
    django_capture_on_commit_callbacks,
):
    from decisions.models import LetterArchive
    from mlsys.core import files

    factories.ConflictFactory(submission=paper, user=conflicted_chair, state="confirmed")
    released(conference, chair, paper, outcomes["oral"])
    letter = services.letter_of(paper)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_archive(conference=conference, actor=chair)
    archive = LetterArchive.objects.get()
    letter_url = files.url_for("decision-letter", letter)
    archive_url = files.url_for("decision-letter-archive", archive)
    for user in (outsider, ml_reviewer, conflicted_chair):
        client.force_login(user)
        assert client.get(letter_url).status_code == 404
        assert client.get(archive_url).status_code == 404  # only the chair who built it
    client.force_login(chair)
    for url in (letter_url, archive_url):
        response = client.get(url)
        assert response.status_code == 200
        drain(response)


def test_chairs_edit_the_letter_templates_on_the_email_templates_page(client, conference, chair):
    client.force_login(chair)
    listing = client.get(reverse("mail:templates", kwargs={"conference": conference.slug}))
    assert "decisions.letter_accept" in listing.content.decode()
    edit = client.get(
        reverse(
            "mail:template_edit",
            kwargs={"conference": conference.slug, "key": "decisions.letter_reject"},
        )
    )
    assert edit.status_code == 200 and "{meta_review}" in edit.content.decode()

"""The review page: the reviewer's journey, autosave, locking, Markdown safety, who gets 404,
the PDF and anonymity."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from mlsys.conferences.enums import Anonymity
from mlsys.core import files
from reviews.models import Review, ReviewRevision
from reviews.reviewing import services
from tests import factories
from tests.reviews.reviewing_helpers import FULL_ANSWERS, assign, login, make_paper, url


@pytest.fixture
def paper(conference, author):
    return make_paper(conference, author)


@pytest.fixture
def reviewer_client(client, paper, ml_reviewer):
    assign(paper, ml_reviewer)
    login(client, ml_reviewer)
    return client


def test_full_reviewer_journey(reviewer_client, paper, ml_reviewer):
    page = reviewer_client.get(url("review", paper))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sparse kernels for LLMs" in html and 'name="overall_merit"' in html
    assert "6 — Strong accept" in html and "review-autosave.js" in html
    assert not Review.objects.exists()  # opening the page starts nothing

    # Autosave (htmx) stores a draft and answers a small status with the new version.
    saved = reviewer_client.post(
        url("review_autosave", paper),
        {"version": "0", "summary": "Draft summary", "overall_merit": "4"},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200
    body = saved.content.decode()
    assert "Draft saved" in body and 'id="review-version" value="1" hx-swap-oob="true"' in body
    review = Review.objects.get()
    assert (review.state, review.answers) == (
        "draft",
        {"summary": "Draft summary", "overall_merit": 4},
    )

    # Submit with a required field missing: field-level message, the posted draft is kept.
    missing = {**FULL_ANSWERS, "weaknesses": "", "version": "1", "action": "submit"}
    refused = reviewer_client.post(url("review", paper), missing)
    assert refused.status_code == 400
    assert 'id="weaknesses-errors"' in refused.content.decode()
    assert "This question needs an answer." in refused.content.decode()
    review.refresh_from_db()
    assert review.state == "draft" and review.answers["strengths"] == "Clear **evaluation**."
    assert "weaknesses" not in review.answers

    # Submit complete.
    ok = reviewer_client.post(
        url("review", paper), {**FULL_ANSWERS, "version": str(review.version), "action": "submit"}
    )
    assert ok.status_code == 302
    review.refresh_from_db()
    assert review.state == "submitted" and review.answers["weaknesses"] == "Only one GPU."
    assert ReviewRevision.objects.get().number == 1

    # Revise: a new revision with what changed, shown in the history.
    revised = reviewer_client.post(
        url("review", paper),
        {**FULL_ANSWERS, "overall_merit": "2", "version": str(review.version), "action": "update"},
    )
    assert revised.status_code == 302
    rev = ReviewRevision.objects.get(number=2)
    assert rev.changed_fields == ["overall_merit"] and rev.answers["overall_merit"] == 2
    html = reviewer_client.get(url("review", paper)).content.decode()
    assert "Revision 2" in html and "changed Overall merit" in html
    history = reviewer_client.get(url("review_history", paper, pk=review.pk))
    assert history.status_code == 200 and "2: Reject" in history.content.decode()


def test_autosave_is_refused_for_a_submitted_review(reviewer_client, paper, ml_reviewer):
    assignment = paper.assignments.get()
    review = services.submit_review(
        assignment, actor=ml_reviewer, answers=FULL_ANSWERS, expected_version=0
    )
    response = reviewer_client.post(
        url("review_autosave", paper), {"version": str(review.version), "summary": "x"}
    )
    assert "Not saved" in response.content.decode()
    review.refresh_from_db()
    assert review.answers["summary"] == FULL_ANSWERS["summary"]


def test_stale_version_shows_the_conflict_message_and_current_values(
    reviewer_client, paper, ml_reviewer
):
    assignment = paper.assignments.get()
    services.save_draft(
        assignment, actor=ml_reviewer, answers={"summary": "From tab B"}, expected_version=0
    )
    response = reviewer_client.post(
        url("review", paper), {"version": "0", "summary": "From tab A", "action": "save"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "This review was changed in another tab" in html
    assert ">From tab B</textarea>" in html and "From tab A" not in html
    assert Review.objects.get().answers == {"summary": "From tab B"}
    autosave = reviewer_client.post(
        url("review_autosave", paper), {"version": "0", "summary": "From tab A"}
    )
    assert "changed in another tab" in autosave.content.decode()


def test_hostile_markdown_is_rendered_without_script(reviewer_client, paper, ml_reviewer):
    hostile = '<script>alert(1)</script> <img src=x onerror="alert(2)"> [x](javascript:alert(3))'
    answers = {**FULL_ANSWERS, "strengths": hostile}
    review = services.submit_review(
        paper.assignments.get(), actor=ml_reviewer, answers=answers, expected_version=0
    )
    services.revise_review(
        paper.assignments.get(),
        actor=ml_reviewer,
        answers={**answers, "strengths": hostile + " $x^2$"},
        expected_version=review.version,
    )
    preview = reviewer_client.post(
        url("review_preview", paper), {"field": "strengths", "strengths": hostile + " $x^2$"}
    )
    history = reviewer_client.get(url("review_history", paper, pk=review.pk))
    for html in (preview.content.decode(), history.content.decode()):
        assert "<script>alert" not in html and "onerror" not in html
        assert "javascript:alert" not in html
    assert '<span class="math-inline">x^2</span>' in preview.content.decode()
    page = reviewer_client.get(url("review", paper)).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_unreleased_assignment_gets_404(client, paper, ml_reviewer):
    assign(paper, ml_reviewer, released=False)
    login(client, ml_reviewer)
    assert client.get(url("review", paper)).status_code == 404
    assert client.post(url("review_autosave", paper), {"version": "0"}).status_code == 404


def test_conflicted_reviewer_gets_404_on_the_page_and_the_pdf(client, paper, conflicted_reviewer):
    assign(paper, conflicted_reviewer)
    factories.ConflictFactory(submission=paper, user=conflicted_reviewer)
    login(client, conflicted_reviewer)
    assert client.get(url("review", paper)).status_code == 404
    assert client.get(files.url_for("review-copy", paper.current_paper)).status_code == 404
    assert client.get(files.url_for("submission-file", paper.current_paper)).status_code == 404


def test_another_reviewer_of_the_paper_cannot_open_someone_elses_review_history(
    client, paper, ml_reviewer, systems_reviewer
):
    assign(paper, ml_reviewer)
    assign(paper, systems_reviewer)
    review = services.submit_review(
        paper.assignments.get(reviewer=ml_reviewer),
        actor=ml_reviewer,
        answers=FULL_ANSWERS,
        expected_version=0,
    )
    login(client, systems_reviewer)
    page = client.get(url("review", paper)).content.decode()
    assert FULL_ANSWERS["summary"] not in page  # their own, empty form
    assert client.get(url("review_history", paper, pk=review.pk)).status_code == 404


def test_chair_sees_the_revision_history_but_a_conflicted_chair_does_not(
    client, paper, ml_reviewer, chair
):
    assign(paper, ml_reviewer)
    review = services.submit_review(
        paper.assignments.get(), actor=ml_reviewer, answers=FULL_ANSWERS, expected_version=0
    )
    login(client, chair)
    response = client.get(url("review_history", paper, pk=review.pk))
    assert response.status_code == 200 and "Mia Learner" in response.content.decode()
    assert client.get(url("review", paper)).status_code == 404  # not their review to write
    factories.ConflictFactory(submission=paper, user=chair)
    assert client.get(url("review_history", paper, pk=review.pk)).status_code == 404


@pytest.mark.parametrize("role", ["author", "outsider", "systems_reviewer", "chair"])
def test_non_reviewers_get_404(client, paper, role, request):
    login(client, request.getfixturevalue(role))
    assert client.get(url("review", paper)).status_code == 404
    assert client.post(url("review_autosave", paper), {"version": "0"}).status_code == 404
    assert client.post(url("review_preview", paper), {"field": "summary"}).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client, paper):
    response = client.get(url("review", paper))
    assert response.status_code == 302 and "login" in response.url


def test_reviewer_downloads_the_pdf_but_an_unassigned_pc_member_cannot(
    client, paper, ml_reviewer, systems_reviewer
):
    assign(paper, ml_reviewer)
    copy_url = files.url_for("review-copy", paper.current_paper, download=True)
    login(client, ml_reviewer)
    response = client.get(copy_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert f"submission-{paper.number}-v{paper.current_paper.pk}.pdf" in disposition
    assert "ada" not in disposition.lower()
    # The author's original name stays behind the authors-and-chairs kind.
    assert client.get(files.url_for("submission-file", paper.current_paper)).status_code == 404
    client.logout()
    login(client, systems_reviewer)
    assert client.get(copy_url).status_code == 404


def test_reviewer_cannot_download_an_older_version(client, paper, ml_reviewer):
    assign(paper, ml_reviewer)
    old = paper.current_paper
    newer = factories.SubmissionFileFactory(
        submission=paper,
        original_name="v2.pdf",
        review_copy=ContentFile(b"%PDF-1.7\n%%EOF\n", name="copy.pdf"),
    )
    paper.current_paper = paper.reviewer_paper = newer
    paper.save(update_fields=["current_paper", "reviewer_paper"])
    login(client, ml_reviewer)
    assert client.get(files.url_for("review-copy", old)).status_code == 404
    served = client.get(files.url_for("review-copy", newer))
    served.close()
    assert served.status_code == 200


@pytest.mark.parametrize("track", ["research", "industry"])
def test_anonymous_tracks_reveal_no_author_identity(client, conference, ml_reviewer, track):
    author = factories.UserFactory(
        name="Zelda Secretname", email="zelda@hidden-lab.example", affiliation="Hidden Lab"
    )
    paper = make_paper(conference, author, track=track)
    assert paper.track.anonymity in (Anonymity.DOUBLE_BLIND, Anonymity.NAMES_HIDDEN)
    assign(paper, ml_reviewer)
    login(client, ml_reviewer)
    pages = [
        client.get(url("review", paper)).content.decode(),
        client.get(
            reverse("reviews:my_papers", kwargs={"conference": conference.slug})
        ).content.decode(),
    ]
    for html in pages:
        for secret in ("Zelda", "Secretname", "zelda@", "hidden-lab", "Hidden Lab", "ada-author"):
            assert secret not in html
    served = client.get(files.url_for("review-copy", paper.current_paper))
    served.close()
    assert served.status_code == 200
    assert "Zelda" not in served["Content-Disposition"]
    assert "ada-author" not in served["Content-Disposition"]


def test_open_track_shows_the_authors(client, conference, ml_reviewer, author):
    industry = conference.tracks.get(slug="industry")
    industry.anonymity = Anonymity.OPEN
    industry.save()
    paper = make_paper(conference, author, track="industry")
    assign(paper, ml_reviewer)
    login(client, ml_reviewer)
    assert "Ada Author" in client.get(url("review", paper)).content.decode()


@pytest.mark.parametrize("answered", [False, True])
def test_review_page_query_count_is_constant(
    client, paper, ml_reviewer, answered, django_assert_num_queries
):
    assignment = assign(paper, ml_reviewer)
    if answered:
        review = services.submit_review(
            assignment, actor=ml_reviewer, answers=FULL_ANSWERS, expected_version=0
        )
        for merit in ("1", "2", "3", "5", "6"):
            review, _ = services.revise_review(
                assignment,
                actor=ml_reviewer,
                answers={**FULL_ANSWERS, "overall_merit": merit},
                expected_version=review.version,
            )
    login(client, ml_reviewer)
    client.get(url("review", paper))  # the default form is created on first use
    with django_assert_num_queries(16 if answered else 17):
        assert client.get(url("review", paper)).status_code == 200

"""Reviewers and chairs read the submitted author response: on the committee's paper page
(general text, each per-review section under its review) and beside the reviewer's own form.
Drafts stay with the authors; people outside the paper's review never see it."""

import re

import pytest
from django.utils import timezone

from mlsys.mail.models import OutboundEmail
from reviews.response import services as response_services
from tests import factories
from tests.reviews.paper_fixtures import (
    ML_TEXT,
    SYSTEMS_TEXT,
    answers,
    open_response_phase,
    paper_url,
    write_review,
)
from tests.reviews.reviewing_helpers import login

GENERAL = "GENERAL-REBUTTAL: we add the 256-GPU run from appendix B."
TO_ML = "TO-ML-REVIEWER: sparsity is **structured**, see section 4."
TO_SYSTEMS = "TO-SYSTEMS-REVIEWER: kernel fusion is measured on A100 and H100."


@pytest.fixture
def ml_review(paper, ml_reviewer):
    return write_review(paper, ml_reviewer, answers(ML_TEXT))


@pytest.fixture
def systems_review(paper, systems_reviewer):
    return write_review(paper, systems_reviewer, answers(SYSTEMS_TEXT))


def respond(paper, sections: dict, *, text: str = GENERAL, state: str = "submitted"):
    return factories.AuthorResponseFactory(
        submission=paper,
        text=text,
        per_review={str(review.pk): body for review, body in sections.items()},
        state=state,
        submitted_at=timezone.now() if state == "submitted" else None,
    )


def get(client, user, url, status=200) -> str:
    login(client, user)
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def card(html: str, review) -> str:
    """The HTML of one review card on the paper page."""
    start = html.index(f'id="review-{review.pk}"')
    return html[start : html.index("</article>", start)]


def response_block(html: str) -> str:
    start = html.index('id="author-response"')
    return html[start : html.index("</section>", start)]


# --- Paper page ---------------------------------------------------------------------------


def test_reviewer_reads_the_response_and_each_section_under_its_review(
    client, paper, ml_reviewer, ml_review, systems_review
):
    respond(paper, {ml_review: TO_ML, systems_review: TO_SYSTEMS})
    html = get(client, ml_reviewer, paper_url(paper))
    assert GENERAL in response_block(html)
    assert 'href="#author-response"' in html
    mine = card(html, ml_review)
    assert "The authors' response to Reviewer A" in mine
    assert "<strong>structured</strong>" in mine and TO_SYSTEMS not in mine
    other = card(html, systems_review)
    assert "The authors' response to Reviewer B" in other and TO_SYSTEMS in other
    assert TO_ML not in other


def test_non_conflicted_chair_reads_the_response_and_every_section(
    client, paper, chair, ml_review, systems_review
):
    response = respond(paper, {ml_review: TO_ML, systems_review: TO_SYSTEMS})
    html = get(client, chair, paper_url(paper))
    block = response_block(html)
    assert GENERAL in block
    assert f'datetime="{response.submitted_at.isoformat()}"' in block
    assert "Reviewer A" in card(html, ml_review) and "structured" in card(html, ml_review)
    assert TO_SYSTEMS in card(html, systems_review)


def test_section_to_a_review_the_reviewer_may_not_read_yet_stays_hidden(
    client, paper, ml_reviewer, systems_review
):
    # Mia has not submitted her review: Sam's review, and what the authors wrote to him, wait.
    respond(paper, {systems_review: TO_SYSTEMS})
    html = get(client, ml_reviewer, paper_url(paper))
    assert GENERAL in response_block(html)
    assert TO_SYSTEMS not in html and SYSTEMS_TEXT not in html


def test_a_draft_response_is_invisible_to_reviewers_and_chairs(
    client, paper, chair, ml_reviewer, ml_review
):
    respond(paper, {ml_review: TO_ML}, state="draft")
    for user in (chair, ml_reviewer):
        html = get(client, user, paper_url(paper))
        assert GENERAL not in html and "TO-ML-REVIEWER" not in html
        assert 'id="author-response"' not in html
    html = get(client, ml_reviewer, paper_url(paper, "reviews:review"))
    assert GENERAL not in html and "TO-ML-REVIEWER" not in html


def test_non_assigned_pc_member_sees_the_discussion_but_not_the_response(
    client, paper, bystander, ml_review
):
    respond(paper, {ml_review: TO_ML})
    html = get(client, bystander, paper_url(paper))
    assert GENERAL not in html and "TO-ML-REVIEWER" not in html
    assert 'id="author-response"' not in html
    get(client, bystander, paper_url(paper, "reviews:review"), status=404)


@pytest.mark.parametrize("who", ["conflicted_reviewer", "conflicted_chair", "outsider"])
def test_conflicted_members_and_outsiders_get_404_on_both_pages(
    client, paper, ml_review, who, request
):
    respond(paper, {ml_review: TO_ML})
    user = request.getfixturevalue(who)
    for name in ("reviews:paper", "reviews:review"):
        assert GENERAL not in get(client, user, paper_url(paper, name), status=404)


def test_response_markdown_is_rendered_safely(client, paper, chair, ml_review):
    hostile = '<script>alert("x")</script><img src=x onerror="alert(1)"> **bold** $x^2$'
    respond(paper, {ml_review: hostile}, text=hostile)
    html = get(client, chair, paper_url(paper))
    assert "<script>alert" not in html and "onerror" not in html
    assert html.count("<strong>bold</strong>") == 2


# --- Review page --------------------------------------------------------------------------


def test_reviewer_reads_the_response_and_their_section_above_the_review_form(
    client, paper, ml_reviewer, ml_review, systems_review
):
    respond(paper, {ml_review: TO_ML, systems_review: TO_SYSTEMS})
    html = get(client, ml_reviewer, paper_url(paper, "reviews:review"))
    block = html[html.index('<details class="card author-response"') : html.index("</details>")]
    assert html.index("author-response") < html.index('id="review-form"')
    assert GENERAL in block and "To your review (Reviewer A)" in block
    assert "<strong>structured</strong>" in block
    assert TO_SYSTEMS not in html, "the section to another reviewer stays on the paper page"
    assert f'href="{paper_url(paper)}#author-response"' in block


def test_reviewer_without_a_section_reads_only_the_general_text(
    client, paper, ml_reviewer, systems_reviewer, ml_review, systems_review
):
    respond(paper, {ml_review: TO_ML})
    html = get(client, systems_reviewer, paper_url(paper, "reviews:review"))
    assert GENERAL in html and "To your review" not in html and "TO-ML-REVIEWER" not in html


def test_review_page_markdown_in_the_response_is_rendered_safely(
    client, paper, ml_reviewer, ml_review
):
    hostile = '<script>alert("x")</script><a href="javascript:alert(1)">x</a> **bold**'
    respond(paper, {ml_review: hostile}, text=hostile)
    html = get(client, ml_reviewer, paper_url(paper, "reviews:review"))
    assert "<script>alert" not in html and "javascript:alert" not in html
    assert html.count("<strong>bold</strong>") == 2


# --- Query counts -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["chair", "ml_reviewer", "bystander"])
def test_the_response_adds_no_query_to_the_paper_page(
    client, paper, ml_review, systems_review, who, request, django_assert_num_queries
):
    login(client, request.getfixturevalue(who))
    with django_assert_num_queries(17 if who == "bystander" else 22) as without:
        client.get(paper_url(paper))
    respond(paper, {ml_review: TO_ML, systems_review: TO_SYSTEMS})
    with django_assert_num_queries(len(without.captured_queries)):
        assert client.get(paper_url(paper)).status_code == 200


def test_the_response_adds_at_most_one_query_to_the_review_page(
    client, paper, ml_reviewer, ml_review, django_assert_num_queries
):
    login(client, ml_reviewer)
    with django_assert_num_queries(16) as without:
        client.get(paper_url(paper, "reviews:review"))
    respond(paper, {ml_review: TO_ML})
    with django_assert_num_queries(len(without.captured_queries) + 1):
        assert (
            TO_ML.split(":")[0] in client.get(paper_url(paper, "reviews:review")).content.decode()
        )


# --- The email says where to read it ---------------------------------------------------------


def test_response_email_links_to_the_paper_page_then_to_the_review(
    client,
    conference,
    paper,
    author,
    ml_reviewer,
    systems_reviewer,
    ml_review,
    django_capture_on_commit_callbacks,
):
    open_response_phase(conference)
    paper.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response_services.submit(
            paper, actor=author, text=GENERAL, per_review={str(ml_review.pk): TO_ML}, version=0
        )
    emails = OutboundEmail.objects.filter(template_key="reviews.response_submitted")
    assert sorted(e.to[0] for e in emails) == sorted([ml_reviewer.email, systems_reviewer.email])
    email = emails.get(to=[ml_reviewer.email])
    links = re.findall(r"https?://\S+", email.body)
    assert links[0].endswith(f"{paper_url(paper)}#author-response")
    assert links[1].endswith(paper_url(paper, "reviews:review"))
    html = get(client, ml_reviewer, paper_url(paper))
    assert GENERAL in response_block(html) and "structured" in card(html, ml_review)

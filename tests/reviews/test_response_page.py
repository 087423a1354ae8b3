"""Who may see what on the authors' reviews-and-response page (reviews:response)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences.enums import Phase, PhaseMode
from reviews.enums import ReviewState
from tests import factories
from tests.reviews.response_fixtures import (
    CHAIRS_SECRET,
    PC_SECRET,
    make_paper,
    make_reviews,
    review,
    set_phase,
)


@pytest.fixture
def paper(conference, author):
    return make_paper(conference, author)


@pytest.fixture
def reviews(paper, ml_reviewer, systems_reviewer, conflicted_reviewer):
    return make_reviews(paper, ml_reviewer, systems_reviewer, conflicted_reviewer)


def url(paper):
    return reverse(
        "reviews:response", kwargs={"conference": paper.conference.slug, "number": paper.number}
    )


def get(client, user, paper):
    client.force_login(user)
    return client.get(url(paper))


def test_author_during_response_phase_sees_only_author_visible_fields(
    client, conference, paper, reviews, author, ml_reviewer, systems_reviewer, conflicted_reviewer
):
    set_phase(conference, Phase.RESPONSE)

    response = get(client, author, paper)

    assert response.status_code == 200
    html = response.content.decode()
    assert "ML view: the kernels are clever." in html
    assert "Systems view: the runtime is solid." in html
    assert "Does it scale to 64 GPUs?" in html
    assert "4: Weak accept" in html  # overall merit, an author-visible score
    assert "Reviewer A" in html and "Reviewer B" in html
    assert PC_SECRET not in html
    assert CHAIRS_SECRET not in html
    for reviewer in (ml_reviewer, systems_reviewer, conflicted_reviewer):
        assert reviewer.name not in html
        assert reviewer.email not in html
    assert "Comments for the PC" not in html
    assert 'name="action" value="submit"' in html


def test_draft_reviews_and_unreleased_assignments_are_not_shown(
    client, conference, paper, reviews, author, outsider
):
    set_phase(conference, Phase.RESPONSE)
    draft = review(paper, outsider, "DRAFT-ONLY-TEXT", state=ReviewState.DRAFT)

    html = get(client, author, paper).content.decode()

    assert "DRAFT-ONLY-TEXT" not in html
    assert draft.answers["summary"] not in html


def test_author_before_the_response_phase_sees_no_review_content(client, paper, reviews, author):
    response = get(client, author, paper)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Reviews are not available yet" in html
    assert "become available when the author response period opens" in html
    assert "ML view" not in html and "Systems view" not in html
    assert "Reviewer A" not in html
    assert "<textarea" not in html


@pytest.mark.parametrize("who", ["ml_reviewer", "systems_reviewer", "chair", "outsider"])
def test_non_authors_get_404(client, conference, paper, reviews, who, request):
    set_phase(conference, Phase.RESPONSE)

    assert get(client, request.getfixturevalue(who), paper).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client, conference, paper, reviews):
    set_phase(conference, Phase.RESPONSE)

    response = client.get(url(paper))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_co_author_with_linked_account_sees_the_page(client, conference, paper, reviews):
    set_phase(conference, Phase.RESPONSE)
    co_author = factories.UserFactory(name="Cora Author")
    factories.AuthorFactory(submission=paper, user=co_author, name=co_author.name, order=5)

    response = get(client, co_author, paper)

    assert response.status_code == 200
    assert "ML view: the kernels are clever." in response.content.decode()


def test_after_the_phase_the_submitted_response_is_read_only(
    client, conference, paper, reviews, author
):
    factories.AuthorResponseFactory(
        submission=paper,
        text="We thank the reviewers.",
        per_review={str(reviews[0].pk): "On kernels: see Table 3."},
        state="submitted",
        submitted_at=timezone.now(),
        submitted_by=author,
    )
    set_phase(conference, Phase.RESPONSE, PhaseMode.CLOSED)
    conference.decisions_released_at = timezone.now()
    conference.save(update_fields=["decisions_released_at"])

    html = get(client, author, paper).content.decode()

    assert "We thank the reviewers." in html
    assert "To Reviewer A" in html and "On kernels: see Table 3." in html
    assert "<textarea" not in html
    assert "ML view: the kernels are clever." in html  # reviews stay readable after release


def test_meta_review_summary_reaches_authors_only_after_release(
    client, conference, paper, reviews, author, ml_reviewer
):
    factories.MetaReviewFactory(
        submission=paper,
        lead=ml_reviewer,
        summary="META-SUMMARY: accept with revisions.",
        recommendation="accept",
        confidence=3,
        state="submitted",
        submitted_at=timezone.now(),
    )
    set_phase(conference, Phase.RESPONSE)

    during = get(client, author, paper).content.decode()
    conference.decisions_released_at = timezone.now()
    conference.save(update_fields=["decisions_released_at"])
    after = get(client, author, paper).content.decode()

    assert "META-SUMMARY" not in during
    assert "META-SUMMARY: accept with revisions." in after
    assert ml_reviewer.name not in after
    assert "Accept" not in after.split("META-SUMMARY")[1].split("</section>")[0]


def test_draft_meta_review_is_not_shown_to_authors_after_release(
    client, conference, paper, reviews, author, ml_reviewer
):
    factories.MetaReviewFactory(submission=paper, lead=ml_reviewer, summary="UNSUBMITTED-META")
    conference.decisions_released_at = timezone.now()
    conference.save(update_fields=["decisions_released_at"])

    assert "UNSUBMITTED-META" not in get(client, author, paper).content.decode()


def test_author_reads_comments_meant_for_authors_under_the_reviewer_alias(
    client, conference, paper, reviews, author, ml_reviewer
):

    set_phase(conference, Phase.RESPONSE)
    factories.CommentFactory(
        submission=paper,
        author=ml_reviewer,
        body="Could you clarify Table 3?",
        visibility="authors",
    )
    factories.CommentFactory(
        submission=paper, author=ml_reviewer, body="Between us: I doubt it.", visibility="reviewers"
    )

    html = get(client, author, paper).content.decode()

    assert "Could you clarify Table 3?" in html
    assert "Between us: I doubt it." not in html
    assert "Reviewer A" in html
    assert ml_reviewer.name not in html

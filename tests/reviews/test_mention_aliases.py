"""@mentions in comments are shown as the anonymous label the paper uses ("Reviewer B") to
readers who may not know who the mentioned member is: authors (page, API) and PC members when
reviewer names are hidden. Chairs, and reviewers when names are visible, see the handle."""

import pytest
from django.urls import reverse

from mlsys.conferences.enums import Phase
from reviews.discussion import mentions, services
from reviews.discussion.naming import Naming
from tests import factories
from tests.reviews.paper_fixtures import member
from tests.reviews.response_fixtures import make_paper, make_reviews, set_phase

BODY = "Thanks @sam-kernel and @mia@uni.example.org. Also @chair-person, `@sam-kernel`, @nobody."


@pytest.fixture
def paper(conference, author, ml_reviewer, systems_reviewer, conflicted_reviewer, chair):
    ml_reviewer.email = "mia@uni.example.org"
    ml_reviewer.save(update_fields=["email"])
    paper = make_paper(conference, author)
    make_reviews(paper, ml_reviewer, systems_reviewer, conflicted_reviewer)
    set_phase(conference, Phase.RESPONSE)
    return paper


@pytest.fixture
def comment(paper, ml_reviewer):
    return factories.CommentFactory(
        submission=paper, author=ml_reviewer, body=BODY, visibility="authors"
    )


def paper_url(paper, name):
    return reverse(name, kwargs={"conference": paper.conference.slug, "number": paper.number})


ALIASED = (
    "Thanks @Reviewer B and @Reviewer A. Also @Program chair, <code>@sam-kernel</code>, @nobody."
)


def test_author_page_shows_reviewer_letters_instead_of_handles(client, paper, comment, author):
    client.force_login(author)
    html = client.get(paper_url(paper, "reviews:response")).content.decode()
    assert ALIASED in html
    assert "@sam-kernel and" not in html and "mia@uni.example.org" not in html
    assert "@chair-person" not in html


def test_author_api_shows_reviewer_letters_instead_of_handles(client, paper, comment, author):
    client.force_login(author)
    url = f"/api/v1/conferences/{paper.conference.slug}/submissions/{paper.number}/comments/"
    response = client.get(url)
    assert response.status_code == 200, response.content
    [row] = response.json()
    assert row["body"] == (
        "Thanks @Reviewer B and @Reviewer A. Also @Program chair, `@sam-kernel`, @nobody."
    )


def test_pc_member_without_names_sees_letters(client, conference, paper, comment, systems_reviewer):
    conference.reviewer_names_visible = False
    conference.save(update_fields=["reviewer_names_visible"])
    client.force_login(systems_reviewer)
    html = client.get(paper_url(paper, "reviews:paper")).content.decode()
    assert ALIASED in html
    assert "mia@uni.example.org" not in html


def test_chair_and_reviewers_allowed_names_see_the_handles(
    client, conference, paper, comment, chair, systems_reviewer
):
    conference.reviewer_names_visible = True
    conference.save(update_fields=["reviewer_names_visible"])
    for who in (chair, systems_reviewer):
        client.force_login(who)
        html = client.get(paper_url(paper, "reviews:paper")).content.decode()
        assert "Thanks @sam-kernel and @mia@uni.example.org" in html
        assert "@Reviewer B" not in html


def test_ambiguous_handles_show_no_name(conference, paper, ml_reviewer):
    member(conference, name="Sam Kernel", email="other-sam@example.org")
    members = mentions.directory(conference)
    aliased = mentions.with_aliases("Ask @sam-kernel.", members, lambda pk: "X")
    assert aliased == "Ask @committee member."


def test_mention_email_to_a_pc_member_without_names_uses_letters(
    conference,
    paper,
    ml_reviewer,
    systems_reviewer,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    conference.reviewer_names_visible = False
    conference.save(update_fields=["reviewer_names_visible"])
    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(
            author=ml_reviewer,
            submission=paper,
            body="@sam-kernel, does @mia@uni.example.org convince you?",
            visibility="reviewers",
        )
    [email] = mailoutbox
    assert email.to == [systems_reviewer.email]
    assert "@Reviewer B, does @Reviewer A convince you?" in email.body
    assert "mia@uni.example.org" not in email.body


def test_naming_leaves_the_body_for_viewers_who_see_names(paper, chair, comment):
    naming = Naming.for_viewer(chair, paper)
    assert naming.comment_body(comment, mentions.directory(paper.conference)) == BODY

"""The paper discussion: comment visibility, posting rules, @mentions, following, editing."""

import pytest

from mlsys.core.models import AuditEvent
from mlsys.mail.models import OutboundEmail
from reviews.discussion import mentions, services
from reviews.discussion.queries import comments_visible_to
from reviews.models import Comment, PaperFollow
from tests import factories
from tests.reviews.paper_fixtures import open_response_phase, paper_url
from tests.reviews.reviewing_helpers import login

LEVELS = ("chairs", "reviewers", "pc", "authors")


def emails_to(user) -> list[OutboundEmail]:
    return [e for e in OutboundEmail.objects.order_by("pk") if user.email.lower() in e.to]


@pytest.fixture
def all_levels(paper, chair):
    return {
        level: factories.CommentFactory(
            submission=paper, author=chair, body=f"COMMENT-{level}", visibility=level
        )
        for level in LEVELS
    }


# --- Who reads what ------------------------------------------------------------------------

MATRIX = {
    "chair": {"chairs", "reviewers", "pc", "authors"},
    "ml_reviewer": {"reviewers", "pc", "authors"},
    "bystander": {"pc"},
    "conflicted_reviewer": set(),
    "conflicted_chair": set(),
    "author": set(),  # before the response phase
    "outsider": set(),
}


@pytest.mark.parametrize("who", MATRIX)
def test_comment_visibility_matrix(paper, all_levels, who, request):
    user = request.getfixturevalue(who)
    seen = {c.visibility for c in comments_visible_to(user, paper)}
    assert seen == MATRIX[who]


@pytest.mark.parametrize("who", ["chair", "ml_reviewer", "bystander"])
def test_the_page_shows_exactly_the_readable_comments(client, paper, all_levels, who, request):
    login(client, request.getfixturevalue(who))
    html = client.get(paper_url(paper)).content.decode()
    for level in LEVELS:
        assert (f"COMMENT-{level}" in html) == (level in MATRIX[who]), level


def test_authors_read_only_author_visible_comments_once_the_response_phase_opens(
    conference, paper, all_levels, author
):
    open_response_phase(conference)
    paper.conference = conference
    assert [c.visibility for c in comments_visible_to(author, paper)] == ["authors"]


def test_own_chairs_only_comment_stays_readable_to_the_reviewer_who_wrote_it(
    paper, ml_reviewer, systems_reviewer
):
    factories.CommentFactory(submission=paper, author=ml_reviewer, body="psst", visibility="chairs")
    assert [c.body for c in comments_visible_to(ml_reviewer, paper)] == ["psst"]
    assert list(comments_visible_to(systems_reviewer, paper)) == []


# --- Posting ---------------------------------------------------------------------------------


def post(client, paper, body, visibility="reviewers"):
    return client.post(
        paper_url(paper, "reviews:paper_comment"), {"body": body, "visibility": visibility}
    )


def test_reviewer_posts_a_comment(client, paper, ml_reviewer):
    login(client, ml_reviewer)
    response = post(client, paper, "The *kernel* claims need $O(n)$ proof.", "pc")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert (comment.author, comment.visibility, comment.edited_at) == (ml_reviewer, "pc", None)
    assert AuditEvent.objects.filter(action="reviews.comment_posted", object_id=str(comment.pk))


def test_authors_visibility_is_offered_only_during_the_response_phase(
    client, conference, paper, ml_reviewer
):
    login(client, ml_reviewer)
    assert 'value="authors"' not in client.get(paper_url(paper)).content.decode()
    response = post(client, paper, "Dear authors", "authors")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Comment.objects.exists()
    open_response_phase(conference)
    assert 'value="authors"' in client.get(paper_url(paper)).content.decode()
    assert post(client, paper, "Dear authors", "authors").status_code == 302
    assert Comment.objects.get().visibility == "authors"


def test_service_refuses_authors_visibility_outside_the_response_phase(paper, chair):
    with pytest.raises(services.ValidationError) as error:
        services.post_comment(author=chair, submission=paper, body="x", visibility="authors")
    assert "visibility" in error.value.message_dict
    assert not Comment.objects.exists()


def test_a_too_long_or_empty_comment_is_refused_with_a_field_message(client, paper, ml_reviewer):
    login(client, ml_reviewer)
    response = post(client, paper, "x" * 20_001)
    assert response.status_code == 400
    assert "at most 20000 characters" in response.content.decode()
    assert "x" * 20_001 in response.content.decode()  # the draft text survives
    assert post(client, paper, "   ").status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.parametrize("who", ["bystander", "conflicted_reviewer", "author", "outsider"])
def test_only_chairs_and_reviewers_comment(client, paper, who, request):
    login(client, request.getfixturevalue(who))
    assert post(client, paper, "hello", "pc").status_code == 404
    assert not Comment.objects.exists()


# --- @mentions -------------------------------------------------------------------------------


def test_mention_syntax_ignores_plain_emails_and_code():
    body = "Ask @sam-kernel and @Mia@Uni.Example. Mail bob@x.org; `@not-me` ```\n@nor-me\n```"
    assert mentions.mention_targets(body) == ["sam-kernel", "mia@uni.example"]


def test_mention_notifies_a_reviewer_who_may_read(paper, ml_reviewer, systems_reviewer):
    comment, resolution = services.post_comment(
        author=ml_reviewer,
        submission=paper,
        body="@sam-kernel what about fusion?",
        visibility="reviewers",
    )
    assert list(comment.mentions.all()) == [systems_reviewer]
    (email,) = emails_to(systems_reviewer)
    assert email.template_key == "reviews.comment_mention"
    assert "what about fusion?" in email.body and f"#comment-{comment.pk}" in email.body
    assert emails_to(ml_reviewer) == []


def test_mention_by_email_works(paper, ml_reviewer, systems_reviewer):
    services.post_comment(
        author=ml_reviewer,
        submission=paper,
        body=f"cc @{systems_reviewer.email}",
        visibility="reviewers",
    )
    assert len(emails_to(systems_reviewer)) == 1


def test_mention_never_notifies_a_conflicted_member(paper, ml_reviewer, conflicted_reviewer):
    comment, _ = services.post_comment(
        author=ml_reviewer, submission=paper, body="@connie-flict any idea?", visibility="pc"
    )
    assert emails_to(conflicted_reviewer) == []
    assert not comment.mentions.exists()


def test_mention_in_a_chairs_only_comment_notifies_chairs_but_not_pc_members(
    paper, ml_reviewer, systems_reviewer, chair
):
    services.post_comment(
        author=ml_reviewer, submission=paper, body="@sam-kernel @chair-person", visibility="chairs"
    )
    assert emails_to(systems_reviewer) == []
    assert len(emails_to(chair)) == 1


def test_mention_of_a_non_assigned_pc_member_follows_the_visibility(paper, ml_reviewer, bystander):
    services.post_comment(
        author=ml_reviewer, submission=paper, body="@nina-bystander", visibility="reviewers"
    )
    assert emails_to(bystander) == []
    services.post_comment(
        author=ml_reviewer, submission=paper, body="@nina-bystander", visibility="pc"
    )
    assert len(emails_to(bystander)) == 1


def test_ambiguous_and_unknown_handles_notify_nobody_and_warn_the_poster(
    client, conference, paper, ml_reviewer
):
    for email in ("a1@x.example", "a2@x.example"):
        user = factories.UserFactory(name="Alex Same", email=email)
        factories.MembershipFactory(conference=conference, user=user)
    login(client, ml_reviewer)
    response = post(client, paper, "@alex-same @nobody-here", "pc")
    assert response.status_code == 302
    assert not OutboundEmail.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "@alex-same matches several members" in page
    assert "No committee member is called @nobody-here" in page


def test_mention_email_hides_names_when_the_conference_does(
    conference, paper, ml_reviewer, systems_reviewer
):
    conference.reviewer_names_visible = False
    conference.save()
    services.post_comment(
        author=ml_reviewer, submission=paper, body="@sam-kernel", visibility="reviewers"
    )
    (email,) = emails_to(systems_reviewer)
    assert "Reviewer A mentioned you" in email.subject
    assert "Mia" not in email.subject + email.body


def test_mention_email_is_delivered_after_commit(
    paper, ml_reviewer, systems_reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(
            author=ml_reviewer, submission=paper, body="@sam-kernel", visibility="pc"
        )
    assert [m.to for m in mailoutbox] == [[systems_reviewer.email]]


# --- Following -------------------------------------------------------------------------------


def test_follow_and_unfollow(client, paper, bystander):
    login(client, bystander)
    response = client.post(
        paper_url(paper, "reviews:paper_follow"), {"action": "follow"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and "Unfollow" in response.content.decode()
    assert list(PaperFollow.objects.values_list("user", flat=True)) == [bystander.pk]
    assert (
        client.post(paper_url(paper, "reviews:paper_follow"), {"action": "unfollow"}).status_code
        == 302
    )
    assert not PaperFollow.objects.exists()


@pytest.mark.parametrize("who", ["author", "outsider", "conflicted_reviewer"])
def test_people_without_access_cannot_follow(client, paper, who, request):
    login(client, request.getfixturevalue(who))
    assert client.post(paper_url(paper, "reviews:paper_follow")).status_code == 404
    assert not PaperFollow.objects.exists()


def test_followers_are_told_of_comments_they_may_read_and_never_of_their_own(
    paper, ml_reviewer, systems_reviewer, bystander, chair, conflicted_reviewer
):
    for user in (ml_reviewer, systems_reviewer, bystander, chair, conflicted_reviewer):
        factories.PaperFollowFactory(submission=paper, user=user)
    services.post_comment(
        author=ml_reviewer, submission=paper, body="R-only", visibility="reviewers"
    )
    assert [len(emails_to(u)) for u in (systems_reviewer, chair)] == [1, 1]
    assert emails_to(bystander) == [] and emails_to(ml_reviewer) == []
    assert emails_to(conflicted_reviewer) == []
    assert emails_to(chair)[0].template_key == "reviews.comment_posted"
    services.post_comment(author=ml_reviewer, submission=paper, body="PC-wide", visibility="pc")
    assert len(emails_to(bystander)) == 1 and emails_to(conflicted_reviewer) == []


def test_a_mentioned_follower_gets_one_email(paper, ml_reviewer, systems_reviewer):
    factories.PaperFollowFactory(submission=paper, user=systems_reviewer)
    services.post_comment(author=ml_reviewer, submission=paper, body="@sam-kernel", visibility="pc")
    assert [e.template_key for e in emails_to(systems_reviewer)] == ["reviews.comment_mention"]


# --- Editing and deleting ----------------------------------------------------------------------


def test_author_edits_own_comment_and_newly_mentioned_members_are_told(
    client, paper, ml_reviewer, systems_reviewer
):
    comment = factories.CommentFactory(submission=paper, author=ml_reviewer, body="v1")
    login(client, ml_reviewer)
    url = paper_url(paper, "reviews:comment_edit", pk=comment.pk)
    assert client.get(url).status_code == 200
    assert client.post(url, {"body": "v2 @sam-kernel"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "v2 @sam-kernel" and comment.edited_at is not None
    assert len(emails_to(systems_reviewer)) == 1
    client.post(url, {"body": "v3 @sam-kernel"})
    assert len(emails_to(systems_reviewer)) == 1  # already mentioned: not told twice


def test_editing_to_an_empty_body_is_refused_and_keeps_the_comment(client, paper, ml_reviewer):
    comment = factories.CommentFactory(submission=paper, author=ml_reviewer, body="keep me")
    login(client, ml_reviewer)
    response = client.post(paper_url(paper, "reviews:comment_edit", pk=comment.pk), {"body": ""})
    assert response.status_code == 400
    comment.refresh_from_db()
    assert (comment.body, comment.edited_at) == ("keep me", None)


@pytest.mark.parametrize("who", ["systems_reviewer", "chair"])
def test_nobody_edits_another_persons_comment(client, paper, ml_reviewer, who, request):
    comment = factories.CommentFactory(submission=paper, author=ml_reviewer, body="mine")
    login(client, request.getfixturevalue(who))
    url = paper_url(paper, "reviews:comment_edit", pk=comment.pk)
    assert client.post(url, {"body": "yours"}).status_code == 404
    assert Comment.objects.get().body == "mine"


def test_author_and_chair_delete_but_other_reviewers_do_not(
    client, paper, ml_reviewer, systems_reviewer, chair
):
    first = factories.CommentFactory(submission=paper, author=ml_reviewer, body="one")
    second = factories.CommentFactory(submission=paper, author=ml_reviewer, body="two")
    login(client, systems_reviewer)
    assert client.post(paper_url(paper, "reviews:comment_delete", pk=first.pk)).status_code == 404
    login(client, ml_reviewer)
    assert client.post(paper_url(paper, "reviews:comment_delete", pk=first.pk)).status_code == 302
    login(client, chair)
    assert client.post(paper_url(paper, "reviews:comment_delete", pk=second.pk)).status_code == 302
    assert not Comment.objects.exists()
    assert AuditEvent.objects.filter(action="reviews.comment_deleted").count() == 2


def test_a_comment_the_user_cannot_read_is_404_even_for_its_edit_page(
    client, paper, chair, ml_reviewer
):
    secret = factories.CommentFactory(submission=paper, author=chair, body="s", visibility="chairs")
    login(client, ml_reviewer)
    assert client.get(paper_url(paper, "reviews:comment_edit", pk=secret.pk)).status_code == 404
    assert client.post(paper_url(paper, "reviews:comment_delete", pk=secret.pk)).status_code == 404
    assert Comment.objects.filter(pk=secret.pk).exists()

"""The committee's per-paper reviewing page: who sees which review, field, name and rating."""

import pytest
from django.urls import reverse

from mlsys.conferences import enums
from reviews.models import Comment, PaperFollow, ReviewRating
from tests import factories
from tests.reviews.paper_fixtures import (
    CHAIRS_NOTE,
    ML_TEXT,
    PC_NOTE,
    SYSTEMS_TEXT,
    answers,
    assign,
    member,
    open_response_phase,
    paper_url,
    write_review,
)
from tests.reviews.reviewing_helpers import login


def page(client, user, paper):
    login(client, user)
    response = client.get(paper_url(paper))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def systems_review(paper, systems_reviewer):
    return write_review(
        paper,
        systems_reviewer,
        answers(
            SYSTEMS_TEXT,
            merit=6,
            comments_for_chairs=CHAIRS_NOTE,
            comments_for_pc=PC_NOTE,
        ),
    )


# --- Who reaches the page -----------------------------------------------------------------


def test_chair_sees_every_review_with_names_sides_and_chair_only_fields(
    client, paper, chair, ml_reviewer, systems_review
):
    write_review(paper, ml_reviewer, answers(ML_TEXT, merit=2))
    html = page(client, chair, paper)
    assert ML_TEXT in html and SYSTEMS_TEXT in html
    assert "Mia Learner (Reviewer A)" in html and "Sam Kernel (Reviewer B)" in html
    assert CHAIRS_NOTE in html and PC_NOTE in html
    assert 'class="badge side-systems">Systems<' in html
    assert 'class="badge side-ml">ML<' in html


def test_chair_sees_authors_on_an_anonymous_track_reviewers_do_not(
    client, paper, chair, ml_reviewer
):
    assert "Ada Author" in page(client, chair, paper)
    client.logout()
    html = page(client, ml_reviewer, paper)
    assert "Ada Author" not in html and "ada@uni.example.edu" not in html


def test_reviewers_see_authors_on_an_open_track(client, conference, ml_reviewer, author):
    track = factories.TrackFactory(
        conference=conference, name="Open", slug="open", anonymity=enums.Anonymity.OPEN
    )
    paper = factories.SubmissionFactory(conference=conference, track=track, authors=[author])
    assign(paper, ml_reviewer)
    assert "Ada Author" in page(client, ml_reviewer, paper)


@pytest.mark.parametrize(
    "who", ["conflicted_reviewer", "conflicted_chair", "author", "outsider", "external"]
)
def test_people_without_a_part_in_the_discussion_get_404(client, conference, paper, who, request):
    if who == "external":
        user = member(
            conference, enums.Role.EXTERNAL_REVIEWER, name="Ext Expert", email="ext@x.example"
        )
        assign(factories.SubmissionFactory(conference=conference), user)
    else:
        user = request.getfixturevalue(who)
    login(client, user)
    assert client.get(paper_url(paper)).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client, paper):
    response = client.get(paper_url(paper))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_draft_submission_has_no_reviewing_page(client, conference, chair):
    draft = factories.SubmissionFactory(conference=conference, status="draft")
    login(client, chair)
    assert client.get(paper_url(draft)).status_code == 404


# --- Other reviews per Conference.other_reviews_visibility -----------------------------------


def test_reviewer_sees_no_other_review_before_submitting_their_own(
    client, paper, ml_reviewer, systems_review
):
    write_review(paper, ml_reviewer, answers(ML_TEXT), state="draft")
    html = page(client, ml_reviewer, paper)
    assert ML_TEXT in html
    assert SYSTEMS_TEXT not in html and PC_NOTE not in html
    assert "once you submit your own review" in html
    # The score summary must not leak the hidden review's merit either.
    assert "Strong accept" not in html


def test_reviewer_sees_other_reviews_after_submitting_their_own(
    client, paper, ml_reviewer, systems_review
):
    write_review(paper, ml_reviewer, answers(ML_TEXT))
    html = page(client, ml_reviewer, paper)
    assert ML_TEXT in html and SYSTEMS_TEXT in html and PC_NOTE in html
    assert "once you submit" not in html


def test_other_reviewers_drafts_stay_hidden_even_after_submitting(
    client, paper, ml_reviewer, systems_reviewer
):
    write_review(paper, ml_reviewer, answers(ML_TEXT))
    write_review(paper, systems_reviewer, answers(SYSTEMS_TEXT), state="draft")
    assert SYSTEMS_TEXT not in page(client, ml_reviewer, paper)


def test_always_setting_shows_other_reviews_before_submitting(
    client, conference, paper, ml_reviewer, systems_review
):
    conference.other_reviews_visibility = "always"
    conference.save()
    assert SYSTEMS_TEXT in page(client, ml_reviewer, paper)


def test_never_setting_shows_only_the_own_review_with_a_note(
    client, conference, paper, ml_reviewer, systems_review
):
    conference.other_reviews_visibility = "never"
    conference.save()
    write_review(paper, ml_reviewer, answers(ML_TEXT))
    html = page(client, ml_reviewer, paper)
    assert ML_TEXT in html and SYSTEMS_TEXT not in html
    assert "do not see the other reviews" in html


# --- Names, fields, sides ------------------------------------------------------------------


def test_reviewer_names_hidden_when_the_conference_says_so(
    client, conference, paper, ml_reviewer, systems_reviewer, systems_review
):
    conference.reviewer_names_visible = False
    conference.save()
    write_review(paper, ml_reviewer, answers(ML_TEXT))
    factories.CommentFactory(submission=paper, author=systems_reviewer, body="I disagree.")
    html = page(client, ml_reviewer, paper)
    assert SYSTEMS_TEXT in html and "I disagree." in html
    assert "Sam Kernel" not in html and systems_reviewer.email not in html
    assert "Reviewer B" in html


def test_reviewer_names_shown_when_the_conference_allows(
    client, paper, ml_reviewer, systems_review
):
    write_review(paper, ml_reviewer, answers(ML_TEXT))
    assert "Sam Kernel (Reviewer B)" in page(client, ml_reviewer, paper)


def test_chair_only_fields_are_hidden_from_other_reviewers_but_not_from_their_writer(
    client, paper, ml_reviewer, systems_reviewer, systems_review
):
    write_review(paper, ml_reviewer, answers(ML_TEXT))
    html = page(client, ml_reviewer, paper)
    assert PC_NOTE in html and CHAIRS_NOTE not in html
    client.logout()
    assert CHAIRS_NOTE in page(client, systems_reviewer, paper)


def test_non_assigned_pc_member_sees_no_review_and_only_pc_comments(
    client, paper, bystander, chair, systems_review
):
    for visibility in ("chairs", "reviewers", "pc", "authors"):
        factories.CommentFactory(
            submission=paper, author=chair, body=f"COMMENT-{visibility}", visibility=visibility
        )
    html = page(client, bystander, paper)
    assert SYSTEMS_TEXT not in html and PC_NOTE not in html and "Overall merit" not in html
    assert "COMMENT-pc" in html
    for hidden in ("COMMENT-chairs", "COMMENT-reviewers", "COMMENT-authors"):
        assert hidden not in html
    assert 'name="body"' not in html  # no comment form: only chairs and reviewers comment


def test_score_summary_flags_ml_and_systems_disagreement(
    client, paper, chair, ml_reviewer, systems_review
):
    write_review(paper, ml_reviewer, answers(ML_TEXT, merit=2))
    html = page(client, chair, paper)
    assert "ML and Systems disagree" in html
    assert '<tr class="disagreement">' in html


def test_score_summary_has_no_flag_when_sides_agree(
    client, paper, chair, ml_reviewer, systems_reviewer
):
    write_review(paper, ml_reviewer, answers(ML_TEXT, merit=5))
    write_review(paper, systems_reviewer, answers(SYSTEMS_TEXT, merit=5))
    assert "ML and Systems disagree" not in page(client, chair, paper)


def test_hostile_markdown_in_reviews_and_comments_is_stripped(client, paper, chair, ml_reviewer):
    hostile = '<script>alert("x")</script><img src=x onerror="alert(1)"> **bold**'
    write_review(paper, ml_reviewer, answers(hostile))
    factories.CommentFactory(submission=paper, author=ml_reviewer, body=hostile)
    html = page(client, chair, paper)
    assert "<script>alert" not in html and "onerror" not in html
    assert html.count("<strong>bold</strong>") == 2


# --- Helpfulness ratings -------------------------------------------------------------------


def rate(client, paper, review, value, **headers):
    return client.post(
        paper_url(paper, "reviews:review_rate", pk=review.pk), {"helpfulness": value}, **headers
    )


def test_reviewer_rates_another_review_and_can_change_the_rating(
    client, paper, ml_reviewer, systems_review
):
    write_review(paper, ml_reviewer, answers(ML_TEXT))
    login(client, ml_reviewer)
    assert rate(client, paper, systems_review, 2).status_code == 302
    response = rate(client, paper, systems_review, 0, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'value="0" id="rate-{systems_review.pk}-0" checked' in response.content.decode()
    rating = ReviewRating.objects.get()
    assert (rating.review, rating.rater, rating.helpfulness) == (systems_review, ml_reviewer, 0)


def test_reviewer_cannot_rate_their_own_review(client, paper, systems_reviewer, systems_review):
    login(client, systems_reviewer)
    assert rate(client, paper, systems_review, 2).status_code == 404
    assert 'name="helpfulness"' not in client.get(paper_url(paper)).content.decode()
    assert not ReviewRating.objects.exists()


def test_reviewer_cannot_rate_before_submitting_their_own_review(
    client, paper, ml_reviewer, systems_review
):
    login(client, ml_reviewer)
    assert rate(client, paper, systems_review, 2).status_code == 404
    assert not ReviewRating.objects.exists()


@pytest.mark.parametrize("who", ["bystander", "chair", "conflicted_reviewer", "author"])
def test_non_reviewers_cannot_rate(client, paper, systems_review, who, request):
    login(client, request.getfixturevalue(who))
    assert rate(client, paper, systems_review, 2).status_code == 404
    assert not ReviewRating.objects.exists()


def test_an_off_scale_rating_is_refused(client, paper, ml_reviewer, systems_review):
    write_review(paper, ml_reviewer, answers(ML_TEXT))
    login(client, ml_reviewer)
    assert rate(client, paper, systems_review, 7).status_code == 400
    assert not ReviewRating.objects.exists()


def test_chairs_see_ratings_and_raters_reviewers_see_only_their_own(
    client, conference, paper, chair, ml_reviewer, systems_review
):
    third = member(conference, side=enums.Side.BOTH, name="Tess Third")
    write_review(paper, ml_reviewer, answers(ML_TEXT))
    write_review(paper, third, answers("THIRD"))
    factories.ReviewRatingFactory(review=systems_review, rater=third, helpfulness=2)
    factories.ReviewRatingFactory(review=systems_review, rater=ml_reviewer, helpfulness=0)
    html = page(client, chair, paper)
    assert 'Excellent <span class="muted">(Tess Third)</span>' in html
    assert 'Not helpful <span class="muted">(Mia Learner)</span>' in html
    client.logout()
    html = page(client, ml_reviewer, paper)
    assert "Helpfulness ratings" not in html
    assert f'value="0" id="rate-{systems_review.pk}-0" checked' in html
    assert f'value="2" id="rate-{systems_review.pk}-2" checked' not in html


# --- Conflicts on every POST -----------------------------------------------------------------


@pytest.mark.parametrize("who", ["conflicted_reviewer", "conflicted_chair"])
def test_conflicted_members_get_404_on_every_endpoint(
    client, paper, ml_reviewer, systems_review, who, request
):
    comment = factories.CommentFactory(
        submission=paper, author=ml_reviewer, body="Hi", visibility="pc"
    )
    login(client, request.getfixturevalue(who))
    posts = [
        (paper_url(paper, "reviews:paper_comment"), {"body": "x", "visibility": "pc"}),
        (paper_url(paper, "reviews:comment_edit", pk=comment.pk), {"body": "changed"}),
        (paper_url(paper, "reviews:comment_delete", pk=comment.pk), {}),
        (paper_url(paper, "reviews:paper_follow"), {"action": "follow"}),
        (paper_url(paper, "reviews:review_rate", pk=systems_review.pk), {"helpfulness": 1}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert client.get(paper_url(paper, "reviews:comment_edit", pk=comment.pk)).status_code == 404
    assert list(Comment.objects.values_list("body", flat=True)) == ["Hi"]
    assert not PaperFollow.objects.exists() and not ReviewRating.objects.exists()


# --- Query counts ------------------------------------------------------------------------------


def _fill(conference, paper, chair, n: int) -> None:
    reviewers = [
        member(conference, side=enums.Side.SYSTEMS if i % 2 else enums.Side.ML, name=f"Rev {i}")
        for i in range(n)
    ]
    for i, reviewer in enumerate(reviewers):
        review = write_review(paper, reviewer, answers(f"Review {i}", merit=1 + i % 6))
        factories.ReviewRatingFactory(review=review, rater=chair, helpfulness=1)
        factories.CommentFactory(
            submission=paper, author=reviewer, body=f"Comment {i} by @rev-0", visibility="pc"
        )


@pytest.mark.parametrize("who", ["chair", "ml_reviewer", "bystander"])
def test_page_query_count_does_not_grow_with_reviews_and_comments(
    client, conference, paper, chair, ml_reviewer, who, request, django_assert_num_queries
):
    write_review(paper, ml_reviewer, answers(ML_TEXT))
    _fill(conference, paper, chair, 1)
    viewer = request.getfixturevalue(who)
    login(client, viewer)
    with django_assert_num_queries(18 if who == "bystander" else 23) as one:
        client.get(paper_url(paper))
    small = len(one.captured_queries)
    _fill(conference, paper, chair, 5)
    with django_assert_num_queries(small) as many:
        response = client.get(paper_url(paper))
    assert response.status_code == 200
    assert len(many.captured_queries) == small


def test_authors_never_reach_the_page_even_during_the_response_phase(
    client, conference, paper, author
):
    open_response_phase(conference)
    login(client, author)
    assert client.get(paper_url(paper)).status_code == 404


def test_non_assigned_pc_member_never_learns_reviewer_names(client, paper, bystander, ml_reviewer):
    factories.CommentFactory(submission=paper, author=ml_reviewer, body="PC-WIDE", visibility="pc")
    html = page(client, bystander, paper)
    assert "PC-WIDE" in html and "Reviewer A" in html
    assert "Mia Learner" not in html and ml_reviewer.email not in html


def test_history_and_edit_links_for_own_review_history_for_chairs_only(
    client, paper, chair, ml_reviewer, systems_reviewer, systems_review
):
    own = write_review(paper, ml_reviewer, answers(ML_TEXT))
    for review in (own, systems_review):
        factories.ReviewRevisionFactory(review=review, number=1, answers=review.answers)
    history = paper_url(paper, "reviews:review_history", pk=systems_review.pk)
    own_history = paper_url(paper, "reviews:review_history", pk=own.pk)
    html = page(client, ml_reviewer, paper)
    assert own_history in html and history not in html
    edit = f'href="{paper_url(paper, "reviews:review")}"'
    assert edit in html
    client.logout()
    html = page(client, chair, paper)
    assert own_history in html and history in html
    assert edit not in html


def test_meta_review_link_for_the_lead_and_chairs_only(
    client, paper, chair, ml_reviewer, systems_reviewer
):
    factories.MetaReviewFactory(submission=paper, lead=ml_reviewer)
    link = paper_url(paper, "reviews:meta_review")
    assert link in page(client, ml_reviewer, paper)
    client.logout()
    assert link in page(client, chair, paper)
    client.logout()
    assert link not in page(client, systems_reviewer, paper)


def test_chair_without_a_lead_gets_no_dead_meta_review_link_but_the_leads_page(
    client, paper, chair, ml_reviewer
):
    meta_link = paper_url(paper, "reviews:meta_review")
    leads = reverse("reviews:leads", kwargs={"conference": paper.conference.slug})
    html = page(client, chair, paper)
    assert meta_link not in html
    assert "No discussion lead yet" in html
    assert f'href="{leads}"' in html
    # The link it used to show answers 404 until a lead is assigned.
    assert client.get(meta_link).status_code == 404

    factories.MetaReviewFactory(submission=paper, lead=ml_reviewer)
    html = page(client, chair, paper)
    assert meta_link in html
    assert "No discussion lead yet" not in html
    assert client.get(meta_link).status_code == 200

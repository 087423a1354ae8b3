"""Comments, author response and meta-review through the API: the pages' rules and services."""

import pytest
from django.utils import timezone

from mlsys.mail.models import OutboundEmail
from reviews.models import AuthorResponse, Comment
from tests import factories
from tests.reviews.paper_fixtures import ML_TEXT, answers, open_response_phase, write_review

pytestmark = pytest.mark.django_db


def url(paper, suffix: str) -> str:
    return f"/api/v1/conferences/{paper.conference.slug}/submissions/{paper.number}/{suffix}"


# --- Comments ----------------------------------------------------------------------------------


def test_reviewer_posts_edits_and_deletes_a_comment(client, paper, ml_reviewer):
    client.force_login(ml_reviewer)
    created = client.post(
        url(paper, "comments/"), {"body": "First point", "visibility": "pc"}, "application/json"
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["author"], data["is_own"], data["visibility"]) == ("You", True, "pc")
    comment = Comment.objects.get(pk=data["id"])
    edited = client.patch(
        url(paper, f"comments/{comment.pk}/"), {"body": "Second point"}, "application/json"
    )
    assert edited.status_code == 200
    comment.refresh_from_db()
    assert comment.body == "Second point" and comment.edited_at is not None
    assert client.delete(url(paper, f"comments/{comment.pk}/")).status_code == 204
    assert not Comment.objects.exists()


def test_authors_audience_only_during_the_response_phase(client, conference, paper, chair):
    client.force_login(chair)
    refused = client.post(
        url(paper, "comments/"), {"body": "To authors", "visibility": "authors"}, "application/json"
    )
    assert refused.status_code == 400
    assert "visibility" in refused.json()["error"]["fields"]
    open_response_phase(conference)
    accepted = client.post(
        url(paper, "comments/"), {"body": "To authors", "visibility": "authors"}, "application/json"
    )
    assert accepted.status_code == 201
    assert list(Comment.objects.values_list("visibility", flat=True)) == ["authors"]


def test_bystander_reads_pc_comments_but_cannot_post(client, paper, chair, bystander):
    factories.CommentFactory(submission=paper, author=chair, body="for pc", visibility="pc")
    factories.CommentFactory(submission=paper, author=chair, body="secret", visibility="chairs")
    client.force_login(bystander)
    rows = client.get(url(paper, "comments/")).json()
    assert [(r["body"], r["author"]) for r in rows] == [("for pc", "Program chair")]
    response = client.post(
        url(paper, "comments/"), {"body": "hello", "visibility": "pc"}, "application/json"
    )
    assert response.status_code == 403
    assert Comment.objects.count() == 2


def test_someone_elses_comment_cannot_be_edited(client, paper, chair, ml_reviewer):
    comment = factories.CommentFactory(
        submission=paper, author=chair, body="chair note", visibility="reviewers"
    )
    client.force_login(ml_reviewer)
    response = client.patch(
        url(paper, f"comments/{comment.pk}/"), {"body": "hijack"}, "application/json"
    )
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "chair note"


@pytest.mark.parametrize("who", ["conflicted_reviewer", "conflicted_chair", "author", "outsider"])
def test_comments_are_404_for_conflicted_and_outsiders(client, paper, chair, who, request):
    factories.CommentFactory(submission=paper, author=chair, body="x", visibility="pc")
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(paper, "comments/")).status_code == 404


def test_comment_list_query_count_does_not_grow(client, paper, chair, django_assert_num_queries):
    factories.CommentFactory(submission=paper, author=chair, body="c0", visibility="pc")
    client.force_login(chair)
    with django_assert_num_queries(13) as one:
        assert len(client.get(url(paper, "comments/")).json()) == 1
    for i in range(5):
        factories.CommentFactory(submission=paper, author=chair, body=f"c{i + 1}", visibility="pc")
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get(url(paper, "comments/")).json()) == 6


# --- Author response ---------------------------------------------------------------------------


def test_author_drafts_and_submits_a_response(
    client, conference, paper, author, ml_reviewer, systems_reviewer
):
    write_review(paper, ml_reviewer, answers(ML_TEXT))
    open_response_phase(conference)
    client.force_login(author)
    blank = client.get(url(paper, "response/")).json()
    assert (blank["version"], blank["text"]) == (0, "")
    saved = client.put(url(paper, "response/"), {"text": "Draft", "version": 0}, "application/json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == 1
    stale = client.put(url(paper, "response/"), {"text": "Other", "version": 0}, "application/json")
    assert stale.status_code == 409
    assert stale.json()["error"]["current"]["text"] == "Draft"
    submitted = client.post(
        url(paper, "response/submit/"), {"text": "Final", "version": 1}, "application/json"
    )
    assert submitted.status_code == 200
    response = AuthorResponse.objects.get(submission=paper)
    assert (response.state, response.text, response.submitted_by) == ("submitted", "Final", author)
    told = OutboundEmail.objects.filter(template_key="reviews.response_submitted")
    assert sorted(m.to[0] for m in told) == sorted([ml_reviewer.email, systems_reviewer.email])


def test_response_outside_the_phase_is_refused(client, paper, author):
    client.force_login(author)
    response = client.put(url(paper, "response/"), {"text": "x", "version": 0}, "application/json")
    assert response.status_code == 403
    assert not AuthorResponse.objects.exists()


def test_reviewers_read_only_a_submitted_response(client, paper, ml_reviewer, bystander):
    response = factories.AuthorResponseFactory(submission=paper, text="draft text", version=1)
    client.force_login(ml_reviewer)
    assert client.get(url(paper, "response/")).status_code == 404
    response.state = "submitted"
    response.save(update_fields=["state"])
    assert client.get(url(paper, "response/")).json()["text"] == "draft text"
    put = client.put(url(paper, "response/"), {"text": "x", "version": 1}, "application/json")
    assert put.status_code == 403
    client.force_login(bystander)
    assert client.get(url(paper, "response/")).status_code == 404


# --- Meta-review -------------------------------------------------------------------------------


@pytest.fixture
def meta(paper, ml_reviewer):
    return factories.MetaReviewFactory(submission=paper, lead=ml_reviewer)


def test_chair_writes_and_submits_the_meta_review(client, paper, chair, meta):
    client.force_login(chair)
    draft = client.patch(url(paper, "meta-review/"), {"summary": "Good"}, "application/json")
    assert draft.status_code == 200, draft.content
    meta.refresh_from_db()
    assert (meta.summary, meta.state) == ("Good", "draft")
    incomplete = client.post(url(paper, "meta-review/submit/"), {}, "application/json")
    assert incomplete.status_code == 400
    assert {"recommendation", "confidence"} <= set(incomplete.json()["error"]["fields"])
    done = client.post(
        url(paper, "meta-review/submit/"),
        {"recommendation": "accept", "confidence": 3},
        "application/json",
    )
    assert done.status_code == 200
    meta.refresh_from_db()
    assert (meta.state, meta.recommendation, meta.confidence) == ("submitted", "accept", 3)


def test_lead_cannot_write_before_discussion_starts(client, paper, ml_reviewer, meta):
    client.force_login(ml_reviewer)
    body = client.get(url(paper, "meta-review/")).json()
    assert body["editable"] is False and body["lead"] == "You"
    response = client.patch(url(paper, "meta-review/"), {"summary": "x"}, "application/json")
    assert response.status_code == 403
    meta.refresh_from_db()
    assert meta.summary == ""


def test_reviewers_read_a_submitted_meta_review_and_authors_its_summary_after_release(
    client, conference, paper, systems_reviewer, author, meta
):
    client.force_login(systems_reviewer)
    assert client.get(url(paper, "meta-review/")).status_code == 404
    meta.state, meta.summary, meta.recommendation = "submitted", "Sum", "reject"
    meta.save()
    assert client.get(url(paper, "meta-review/")).json()["recommendation"] == "reject"
    client.force_login(author)
    assert client.get(url(paper, "meta-review/")).status_code == 404
    conference.decisions_released_at = timezone.now()
    conference.save(update_fields=["decisions_released_at"])
    assert client.get(url(paper, "meta-review/")).json() == {"summary": "Sum"}


@pytest.mark.parametrize("who", ["conflicted_chair", "bystander", "outsider"])
def test_meta_review_is_404_for_others(client, paper, meta, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(paper, "meta-review/")).status_code == 404

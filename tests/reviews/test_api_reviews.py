"""Reviews API: reviewers write their own (drafts, 409 on a stale version, submit, revise),
chairs read all of non-conflicted papers, the committee and authors read a paper's reviews as
the pages show them."""

import pytest

from reviews.models import Review
from tests import factories
from tests.reviews import paper_fixtures
from tests.reviews.paper_fixtures import (
    CHAIRS_NOTE,
    ML_TEXT,
    PC_NOTE,
    SYSTEMS_TEXT,
    answers,
    assign,
    open_response_phase,
    write_review,
)

pytestmark = pytest.mark.django_db


def api(paper, suffix: str = "reviews/") -> str:
    return f"/api/v1/conferences/{paper.conference.slug}/{suffix}"


def paper_api(paper, suffix: str) -> str:
    return api(paper, f"submissions/{paper.number}/{suffix}")


def keys(row) -> dict:
    return {a["key"]: a["value"] for a in row["answers"]}


# --- Writing one's own review ------------------------------------------------------------------


def test_reviewer_starts_saves_and_submits_a_review(client, paper, ml_reviewer):
    client.force_login(ml_reviewer)
    created = client.post(
        api(paper),
        {"submission": paper.number, "answers": {"summary": ML_TEXT, "overall_merit": 4}},
        "application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["state"], body["version"], body["reviewer"]) == ("draft", 1, "You")
    review = Review.objects.get(pk=body["id"])
    assert review.answers == {"summary": ML_TEXT, "overall_merit": 4}

    # PATCH keeps the answers it does not mention.
    patched = client.patch(
        api(paper, f"reviews/{review.pk}/"),
        {"answers": {"strengths": "Fast."}, "version": 1},
        "application/json",
    )
    assert patched.status_code == 200
    review.refresh_from_db()
    assert review.answers == {"summary": ML_TEXT, "overall_merit": 4, "strengths": "Fast."}
    assert review.version == 2

    submitted = client.post(
        api(paper, f"reviews/{review.pk}/submit/"),
        {"answers": answers(ML_TEXT), "version": 2},
        "application/json",
    )
    assert submitted.status_code == 200, submitted.content
    review.refresh_from_db()
    assert review.state == "submitted" and review.submitted_at is not None
    assert list(review.revisions.values_list("number", flat=True)) == [1]


def test_submit_with_missing_answers_lists_the_fields_and_keeps_the_draft(
    client, paper, ml_reviewer
):
    review = write_review(paper, ml_reviewer, {"summary": ML_TEXT}, state="draft")
    client.force_login(ml_reviewer)
    response = client.post(
        api(paper, f"reviews/{review.pk}/submit/"), {"version": 1}, "application/json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert {"strengths", "overall_merit", "confidence"} <= set(error["fields"])
    review.refresh_from_db()
    assert (review.state, review.answers, review.version) == ("draft", {"summary": ML_TEXT}, 1)


def test_stale_version_is_409_with_the_saved_answers(client, paper, ml_reviewer):
    review = write_review(paper, ml_reviewer, {"summary": ML_TEXT}, state="draft")
    review.version = 3
    review.save(update_fields=["version"])
    client.force_login(ml_reviewer)
    response = client.patch(
        api(paper, f"reviews/{review.pk}/"),
        {"answers": {"summary": "overwrite"}, "version": 2},
        "application/json",
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict"
    assert error["current"] == {"version": 3, "answers": {"summary": ML_TEXT}}
    review.refresh_from_db()
    assert review.answers == {"summary": ML_TEXT}


def test_editing_a_submitted_review_adds_a_revision(client, paper, ml_reviewer):
    review = write_review(paper, ml_reviewer, answers(ML_TEXT))
    factories.ReviewRevisionFactory(review=review, number=1, answers=review.answers)
    client.force_login(ml_reviewer)
    response = client.patch(
        api(paper, f"reviews/{review.pk}/"),
        {"answers": {"overall_merit": 2}, "version": 1},
        "application/json",
    )
    assert response.status_code == 200, response.content
    revision = review.revisions.get(number=2)
    assert revision.changed_fields == ["overall_merit"]
    review.refresh_from_db()
    assert review.answers["overall_merit"] == 2 and review.state == "submitted"


def test_score_off_the_scale_is_a_field_error(client, paper, ml_reviewer):
    client.force_login(ml_reviewer)
    response = client.post(
        api(paper),
        {"submission": paper.number, "answers": {"overall_merit": 9}},
        "application/json",
    )
    assert response.status_code == 400
    assert "overall_merit" in response.json()["error"]["fields"]
    assert not Review.objects.exists()


@pytest.mark.parametrize("who", ["bystander", "conflicted_reviewer", "outsider", "chair"])
def test_only_an_assigned_reviewer_starts_a_review(client, paper, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.post(
        api(paper), {"submission": paper.number, "answers": {}}, "application/json"
    )
    assert response.status_code == 404
    assert not Review.objects.exists()


def test_chair_cannot_write_a_reviewers_review(client, paper, chair, ml_reviewer):
    review = write_review(paper, ml_reviewer, {"summary": ML_TEXT}, state="draft")
    client.force_login(chair)
    response = client.patch(
        api(paper, f"reviews/{review.pk}/"),
        {"answers": {"summary": "chair text"}, "version": 1},
        "application/json",
    )
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.answers == {"summary": ML_TEXT}


def test_another_reviewers_review_is_404(client, paper, ml_reviewer, systems_reviewer):
    review = write_review(paper, systems_reviewer, answers(SYSTEMS_TEXT))
    write_review(paper, ml_reviewer, answers(ML_TEXT))
    client.force_login(ml_reviewer)
    assert client.get(api(paper, f"reviews/{review.pk}/")).status_code == 404
    assert [r["reviewer"] for r in client.get(api(paper)).json()] == ["You"]


def test_anonymous_gets_401(client, paper):
    assert client.get(api(paper)).status_code == 401


# --- Chairs ------------------------------------------------------------------------------------


def test_chair_lists_and_filters_every_review(
    client, conference, paper, chair, ml_reviewer, systems_reviewer, author
):
    write_review(paper, ml_reviewer, answers(ML_TEXT, comments_for_chairs=CHAIRS_NOTE))
    write_review(paper, systems_reviewer, {"summary": SYSTEMS_TEXT}, state="draft")
    client.force_login(chair)
    rows = client.get(api(paper)).json()
    assert [r["reviewer"] for r in rows] == [ml_reviewer.name, systems_reviewer.name]
    assert keys(rows[0])["comments_for_chairs"] == CHAIRS_NOTE
    assert rows[1]["answers"] == []  # a draft's answers stay with its reviewer
    only = client.get(api(paper) + "?state=submitted").json()
    assert [r["reviewer"] for r in only] == [ml_reviewer.name]
    by_reviewer = client.get(api(paper) + f"?reviewer={systems_reviewer.pk}").json()
    assert [r["state"] for r in by_reviewer] == ["draft"]
    assert client.get(api(paper) + "?submission=999").json() == []


def test_conflicted_chair_lists_no_review_of_the_paper(
    client, paper, conflicted_chair, ml_reviewer
):
    review = write_review(paper, ml_reviewer, answers(ML_TEXT))
    client.force_login(conflicted_chair)
    assert client.get(api(paper)).json() == []
    assert client.get(api(paper, f"reviews/{review.pk}/")).status_code == 404


def test_review_list_query_count_does_not_grow(
    client, conference, chair, ml_reviewer, django_assert_num_queries
):
    def add():
        sub = factories.SubmissionFactory(conference=conference)
        write_review(sub, ml_reviewer, answers(ML_TEXT))

    add()
    client.force_login(chair)
    with django_assert_num_queries(11) as one:
        assert len(client.get(f"/api/v1/conferences/{conference.slug}/reviews/").json()) == 1
    for _ in range(5):
        add()
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get(f"/api/v1/conferences/{conference.slug}/reviews/").json()) == 6


# --- A paper's reviews -------------------------------------------------------------------------


def test_reviewer_sees_other_reviews_only_after_submitting(
    client, paper, ml_reviewer, systems_reviewer
):
    write_review(paper, systems_reviewer, answers(SYSTEMS_TEXT, comments_for_pc=PC_NOTE))
    own = write_review(paper, ml_reviewer, {"summary": ML_TEXT}, state="draft")
    client.force_login(ml_reviewer)
    rows = client.get(paper_api(paper, "reviews/")).json()
    assert [(r["label"], r["is_own"]) for r in rows] == [("Your review", True)]
    own.state = "submitted"
    own.save(update_fields=["state"])
    rows = client.get(paper_api(paper, "reviews/")).json()
    other = next(r for r in rows if not r["is_own"])
    assert keys(other)["comments_for_pc"] == PC_NOTE
    # Names per the conference setting (visible by default), with the stable letter.
    assert other["label"] == f"{systems_reviewer.name} (Reviewer B)"


def test_reviewer_names_hidden_by_setting_use_letters(
    client, conference, paper, ml_reviewer, systems_reviewer
):
    conference.reviewer_names_visible = False
    conference.save(update_fields=["reviewer_names_visible"])
    write_review(paper, systems_reviewer, answers(SYSTEMS_TEXT, comments_for_chairs=CHAIRS_NOTE))
    write_review(paper, ml_reviewer, answers(ML_TEXT))
    client.force_login(ml_reviewer)
    response = client.get(paper_api(paper, "reviews/"))
    other = next(r for r in response.json() if not r["is_own"])
    assert other["label"] == "Reviewer B"
    assert "comments_for_chairs" not in keys(other)
    assert systems_reviewer.name not in response.content.decode()


@pytest.mark.parametrize("who", ["bystander", "conflicted_reviewer", "author", "outsider"])
def test_paper_reviews_are_404_for_everyone_else(client, paper, ml_reviewer, who, request):
    write_review(paper, ml_reviewer, answers(ML_TEXT))
    client.force_login(request.getfixturevalue(who))
    assert client.get(paper_api(paper, "reviews/")).status_code == 404


def test_authors_read_author_fields_without_identities_in_the_response_phase(
    client, conference, paper, author, ml_reviewer
):
    write_review(paper, ml_reviewer, answers(ML_TEXT, comments_for_pc=PC_NOTE))
    client.force_login(author)
    assert client.get(paper_api(paper, "author-reviews/")).status_code == 404
    open_response_phase(conference)
    response = client.get(paper_api(paper, "author-reviews/"))
    assert response.status_code == 200
    (row,) = response.json()
    assert row["label"] == "Reviewer A"
    questions = {a["question"]: a["value"] for a in row["answers"]}
    assert questions["Summary"] == ML_TEXT
    assert questions["Overall merit"].startswith("4")
    text = response.content.decode()
    assert PC_NOTE not in text and ml_reviewer.name not in text and ml_reviewer.email not in text


def test_author_reviews_are_404_for_the_committee(client, conference, paper, chair):
    open_response_phase(conference)
    client.force_login(chair)
    assert client.get(paper_api(paper, "author-reviews/")).status_code == 404


def test_paper_reviews_query_count_does_not_grow(
    client, conference, paper, chair, ml_reviewer, django_assert_num_queries
):
    write_review(paper, ml_reviewer, answers(ML_TEXT))
    client.force_login(chair)
    with django_assert_num_queries(21) as one:
        assert len(client.get(paper_api(paper, "reviews/")).json()) == 1
    for i in range(5):
        user = paper_fixtures.member(conference, name=f"Extra Reviewer {i}")
        assign(paper, user)
        write_review(paper, user, answers(f"extra {i}"))
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get(paper_api(paper, "reviews/")).json()) == 6

"""The submissions API: authors' own submissions, chairs' list, files, access rules."""

import pytest
from django.urls import reverse

from mlsys.core.models import AuditEvent
from submissions.models import Submission
from tests import factories


def list_url(conference):
    return reverse("api-submission-list", kwargs={"conference": conference.slug})


def detail_url(conference, number, suffix=""):
    name = f"api-submission-{suffix or 'detail'}"
    return reverse(name, kwargs={"conference": conference.slug, "number": number})


@pytest.fixture
def mine(conference, author):
    sub = factories.SubmissionFactory(
        conference=conference, number=1, title="Mine", status="draft", authors=[author]
    )
    sub.topics.add(conference.topics.get(name="LLMs"))
    return sub


@pytest.fixture
def theirs(conference, outsider):
    sub = factories.SubmissionFactory(
        conference=conference, number=2, title="Theirs", authors=[outsider]
    )
    sub.tags.add(factories.TagFactory(conference=conference, name="secret-tag"))
    return sub


def test_author_lists_only_own_submissions_without_chair_fields(
    api, conference, author, mine, theirs
):
    api.force_authenticate(author)
    data = api.get(list_url(conference)).json()
    assert [r["number"] for r in data["results"]] == [1]
    row = data["results"][0]
    assert row["authors"][0]["email"] == "ada@uni.example.edu"
    assert (row["tags"], row["conflict_count"]) == ([], None)


def test_author_cannot_filter_by_conflicts(api, conference, author, mine, ml_reviewer):
    factories.ConflictFactory(submission=mine, user=ml_reviewer, source="email_domain")
    api.force_authenticate(author)
    data = api.get(list_url(conference), {"has_conflicts": "false"}).json()
    assert [r["number"] for r in data["results"]] == [1]


def test_chair_lists_all_with_search_filters_and_sort(api, conference, chair, mine, theirs):
    api.force_authenticate(chair)
    data = api.get(list_url(conference), {"sort": "-number"}).json()
    assert [r["number"] for r in data["results"]] == [2, 1]
    assert data["results"][0]["tags"] == ["secret-tag"]
    assert data["results"][0]["conflict_count"] == 0
    assert [
        r["number"] for r in api.get(list_url(conference), {"q": "theirs"}).json()["results"]
    ] == [2]
    assert [
        r["number"] for r in api.get(list_url(conference), {"status": "draft"}).json()["results"]
    ] == [1]


def test_invalid_filter_is_a_400_with_field_errors(api, conference, chair, mine):
    api.force_authenticate(chair)
    response = api.get(list_url(conference), {"status": "nope"})
    assert response.status_code == 400
    assert "status" in response.json()["error"]["fields"]


@pytest.mark.parametrize("who", ["ml_reviewer", "conflicted_reviewer", "outsider"])
def test_pc_members_and_outsiders_see_nothing_of_others(api, conference, mine, request, who):
    api.force_authenticate(request.getfixturevalue(who))
    assert api.get(list_url(conference)).json()["results"] == []
    assert api.get(detail_url(conference, 1)).status_code == 404
    assert (
        api.get(
            reverse("api-submission-file-list", kwargs={"conference": conference.slug, "number": 1})
        ).status_code
        == 404
    )
    response = api.patch(detail_url(conference, 1), {"title": "Hacked", "version": 1})
    assert response.status_code == 404
    mine.refresh_from_db()
    assert mine.title == "Mine"


def test_outsider_list_has_only_their_own(api, conference, outsider, mine, theirs):
    api.force_authenticate(outsider)
    assert [r["number"] for r in api.get(list_url(conference)).json()["results"]] == [2]


def test_anonymous_gets_401(api, conference, mine):
    assert api.get(list_url(conference)).status_code == 401
    assert api.get(detail_url(conference, 1)).status_code == 401


def test_author_creates_a_submission_through_the_service(api, conference, author):
    api.force_authenticate(author)
    topic = conference.topics.get(name="Compilers")
    response = api.post(
        list_url(conference),
        {
            "track": "research",
            "title": "A new compiler",
            "abstract": "It compiles.",
            "topics": [topic.pk],
            "authors": [{"name": "Bo Co", "email": "bo@co.example.net"}],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    sub = Submission.objects.get(number=body["number"])
    assert (sub.title, sub.status, sub.track.slug) == ("A new compiler", "draft", "research")
    assert list(sub.authors.values_list("email", flat=True)) == [
        "ada@uni.example.edu",
        "bo@co.example.net",
    ]
    assert AuditEvent.objects.filter(action="submissions.created", object_id=str(sub.pk)).exists()


def test_create_with_a_track_of_another_conference_is_a_field_error(api, conference, author):
    factories.conference_in_submission_phase(slug="other")
    api.force_authenticate(author)
    response = api.post(
        list_url(conference), {"track": "nonexistent", "title": "T", "abstract": "A"}
    )
    assert response.status_code == 400
    assert "track" in response.json()["error"]["fields"]
    assert not Submission.objects.exists()


def test_update_with_current_version_saves(api, conference, author, mine):
    api.force_authenticate(author)
    response = api.patch(detail_url(conference, 1), {"title": "Better title", "version": 1})
    assert response.status_code == 200, response.json()
    mine.refresh_from_db()
    assert (mine.title, mine.version) == ("Better title", 2)
    assert response.json()["version"] == 2


def test_stale_version_is_409_with_the_current_state(api, conference, author, mine):
    Submission.objects.filter(pk=mine.pk).update(version=3, title="Edited elsewhere")
    api.force_authenticate(author)
    response = api.patch(detail_url(conference, 1), {"title": "Mine again", "version": 2})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict"
    assert error["current"]["title"] == "Edited elsewhere"
    mine.refresh_from_db()
    assert mine.title == "Edited elsewhere"


def test_update_without_version_is_refused(api, conference, author, mine):
    api.force_authenticate(author)
    response = api.patch(detail_url(conference, 1), {"title": "X"})
    assert response.status_code == 400
    assert "version" in response.json()["error"]["fields"]


def test_chair_cannot_edit_an_authors_submission(api, conference, chair, mine):
    api.force_authenticate(chair)
    response = api.patch(detail_url(conference, 1), {"title": "Chair edit", "version": 1})
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.title == "Mine"


def test_author_withdraws(api, conference, author, mine):
    api.force_authenticate(author)
    response = api.post(detail_url(conference, 1, "withdraw"), {"reason": "Not ready."})
    assert response.status_code == 200, response.json()
    mine.refresh_from_db()
    assert (mine.status, mine.status_reason) == ("withdrawn", "Not ready.")
    assert response.json()["status"] == "withdrawn"


def test_withdraw_without_reason_is_refused(api, conference, author, mine):
    api.force_authenticate(author)
    response = api.post(detail_url(conference, 1, "withdraw"), {})
    assert response.status_code == 400
    mine.refresh_from_db()
    assert mine.status == "draft"


def test_file_versions_with_report_and_download(api, conference, author, mine, outsider):
    old = factories.SubmissionFileFactory(submission=mine, check_status="failed")
    old.report = {"errors": ["Too long."]}
    old.save()
    new = factories.SubmissionFileFactory(submission=mine)
    api.force_authenticate(author)
    files_url = reverse(
        "api-submission-file-list", kwargs={"conference": conference.slug, "number": 1}
    )
    data = api.get(files_url).json()
    assert [f["id"] for f in data] == [new.pk, old.pk]
    assert data[1]["report"] == {"errors": ["Too long."]}
    response = api.get(data[0]["download_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    api.force_authenticate(outsider)
    assert api.get(data[0]["download_url"]).status_code == 404


def test_chair_downloads_a_file_through_the_api(api, conference, chair, mine):
    stored = factories.SubmissionFileFactory(submission=mine)
    api.force_authenticate(chair)
    url = reverse(
        "api-submission-file-download",
        kwargs={"conference": conference.slug, "number": 1, "pk": stored.pk},
    )
    response = api.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_author_uploads_a_paper_through_the_service(api, conference, author, mine):
    from tests.submissions import pdfs

    api.force_authenticate(author)
    files_url = reverse(
        "api-submission-file-list", kwargs={"conference": conference.slug, "number": 1}
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("p.pdf", pdfs.paper(), content_type="application/pdf")
    response = api.post(files_url, {"kind": "paper", "file": upload}, format="multipart")
    assert response.status_code == 201, response.json()
    stored = mine.files.get()
    assert response.json()["sha256"] == stored.sha256
    assert AuditEvent.objects.filter(action="submissions.paper_uploaded").exists()


def test_upload_that_is_not_a_pdf_is_a_field_error(api, conference, author, mine):
    from django.core.files.uploadedfile import SimpleUploadedFile

    api.force_authenticate(author)
    files_url = reverse(
        "api-submission-file-list", kwargs={"conference": conference.slug, "number": 1}
    )
    upload = SimpleUploadedFile("p.pdf", b"not a pdf", content_type="application/pdf")
    response = api.post(files_url, {"kind": "paper", "file": upload}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()["error"]["fields"]
    assert not mine.files.exists()


@pytest.mark.parametrize("count", [1, 10])
def test_chair_api_list_query_count_does_not_grow(
    api, conference, chair, count, django_assert_num_queries
):
    for _ in range(count):
        sub = factories.SubmissionFactory(conference=conference)
        factories.AuthorFactory(submission=sub)
        sub.current_paper = factories.SubmissionFileFactory(submission=sub)
        sub.save()
    api.force_authenticate(chair)
    # 12: three of them read the chair's conflicts (the tags of those papers are hidden).
    with django_assert_num_queries(12):
        response = api.get(list_url(conference), {"q": "submission"})
    assert response.json()["count"] == count


def test_schema_of_the_submission_endpoints_has_no_warnings():
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    patterns = [path("api/v1/conferences/<slug:conference>/", include("submissions.api.urls"))]
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    assert not GENERATOR_STATS, dict(GENERATOR_STATS._warn_cache)
    assert "/api/v1/conferences/{conference}/submissions/{number}/withdraw/" in schema["paths"]

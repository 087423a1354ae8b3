"""The camera-ready API: status, upload and the shepherd's verdict, with the roles that must be
refused (404 for those who may not see the paper's camera-ready, 403 for a refused action)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from decisions.camera_ready import services
from decisions.models import CameraReady
from tests import factories


def url(paper, name="api-camera-ready"):
    return reverse(name, kwargs={"conference": paper.conference.slug, "number": paper.number})


def pdf(data=b"%PDF-1.7\n%%EOF\n"):
    return SimpleUploadedFile("final.pdf", data, content_type="application/pdf")


@pytest.fixture
def shepherded(paper, chair, shepherd):
    services.assign_shepherd(submission=paper, actor=chair, shepherd=shepherd)
    factories.SubmissionFileFactory(submission=paper, kind="camera_ready")
    return paper


def test_author_reads_the_status(api, paper, author):
    api.force_authenticate(author)
    data = api.get(url(paper)).json()
    assert data["complete"] is False
    assert [a["name"] for a in data["authors"]] == ["Ada Author", "Bob Coauthor"]
    assert "accepting the licence" in data["missing"]


def test_author_uploads(api, paper, author):
    api.force_authenticate(author)
    response = api.post(url(paper, "api-camera-ready-upload"), {"file": pdf()}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["check_status"] in ("pending", "invalid", "passed", "failed")
    assert paper.files.filter(kind="camera_ready").count() == 1


def test_a_bad_upload_is_a_400_with_a_message(api, paper, author):
    api.force_authenticate(author)
    response = api.post(
        url(paper, "api-camera-ready-upload"), {"file": pdf(b"nope")}, format="multipart"
    )
    assert response.status_code == 400
    assert "not a PDF" in str(response.json()["error"]["fields"]["file"])
    missing = api.post(url(paper, "api-camera-ready-upload"), {}, format="multipart")
    assert missing.status_code == 400


def test_shepherd_approves(api, shepherded, shepherd):
    api.force_authenticate(shepherd)
    response = api.post(url(shepherded, "api-camera-ready-shepherd-review"), {"approve": True})
    assert response.status_code == 200
    assert response.json() == {"shepherd_status": "approved"}


@pytest.mark.parametrize(
    ("who", "read", "upload", "review"),
    [
        ("outsider", 404, 404, 404),
        ("systems_reviewer", 404, 404, 404),
        ("conflicted_chair", 404, 404, 404),
        ("author", 200, None, 403),
        ("chair", 200, None, 403),
    ],
)
def test_refused_roles(request, api, shepherded, who, read, upload, review):
    user = request.getfixturevalue(who)
    if who == "conflicted_chair":
        factories.ConflictFactory(submission=shepherded, user=user, state="confirmed")
    api.force_authenticate(user)
    assert api.get(url(shepherded)).status_code == read
    if upload is not None:
        response = api.post(
            url(shepherded, "api-camera-ready-upload"), {"file": pdf()}, format="multipart"
        )
        assert response.status_code == upload
    response = api.post(url(shepherded, "api-camera-ready-shepherd-review"), {"approve": True})
    assert response.status_code == review
    assert CameraReady.objects.get(submission=shepherded).status == "pending"


def test_anonymous_is_refused(api, paper):
    assert api.get(url(paper)).status_code in (401, 403)
    assert api.post(url(paper, "api-camera-ready-upload"), {}).status_code in (401, 403)


@pytest.mark.parametrize("n", [1, 10])
def test_status_query_count_is_constant(api, paper, author, n, django_assert_num_queries):
    for _ in range(n):
        factories.SubmissionFileFactory(submission=paper, kind="camera_ready")
    api.force_authenticate(author)
    with django_assert_num_queries(9):
        assert api.get(url(paper)).status_code == 200

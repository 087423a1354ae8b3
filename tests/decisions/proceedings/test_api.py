"""The proceedings API: JSON and CSV exports, builds (202, 409 while building, status,
download); chairs only (404 for members and outsiders, 401 anonymous)."""

import csv
import io
import json
import zipfile

import pytest

from decisions.models import ProceedingsBuild
from tests import factories
from tests.api.clients import anonymous, token_client

BASE = "/api/v1/conferences/mlsys2027/proceedings/"


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_chair_gets_the_json_export(program, chair):
    response = token_client(chair).get(BASE)
    assert response.status_code == 200
    data = json.loads(_body(response))
    assert [p["number"] for p in data["papers"]] == [3, 1, 2]
    assert data["missing_pdf"] == [2] and data["badges_registered"] is False
    assert data["papers"][0]["authors"][0]["orcid"] == "0000-0002-1825-0097"


def test_chair_gets_the_csv_export(program, chair):
    response = token_client(chair).get(f"{BASE}csv/")
    assert response.status_code == 200
    lines = list(csv.DictReader(io.StringIO(_body(response).decode())))
    assert [line["pdf"] for line in lines] == ["mlsys2027-003.pdf", "mlsys2027-001.pdf", ""]


def test_build_status_and_download(program, chair, django_capture_on_commit_callbacks):
    client = token_client(chair)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}builds/", {"kind": "zip"}, format="json")
    assert response.status_code == 202
    assert response.json()["status"] == "queued"  # as it was when the request answered
    build_id = response.json()["id"]
    status = client.get(f"{BASE}builds/{build_id}/").json()
    assert status["status"] == "ready" and status["papers"] == 3 and status["missing"] == [2]
    assert status["download_url"] == f"/files/proceedings/{build_id}/?download=1"
    listed = client.get(f"{BASE}builds/").json()
    assert [b["id"] for b in listed] == [build_id]
    download = client.get(f"{BASE}builds/{build_id}/download/")
    assert download.status_code == 200
    data = _body(download)
    download.close()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "README.txt" in archive.namelist()


def test_a_second_build_while_one_runs_is_a_409(program, chair):
    client = token_client(chair)
    assert client.post(f"{BASE}builds/", {"kind": "booklet"}, format="json").status_code == 202
    response = client.post(f"{BASE}builds/", {"kind": "booklet"}, format="json")
    assert response.status_code == 409
    assert "already being built" in response.json()["error"]["message"]
    # Not ready yet: no download.
    build = ProceedingsBuild.objects.get()
    assert client.get(f"{BASE}builds/{build.pk}/download/").status_code == 404


def test_a_bad_kind_is_a_400_with_the_choices(program, chair):
    response = token_client(chair).post(f"{BASE}builds/", {"kind": "tarball"}, format="json")
    assert response.status_code == 400
    assert "kind" in response.json()["error"]["fields"]
    assert not ProceedingsBuild.objects.exists()


@pytest.mark.parametrize("role", ["ml_reviewer", "author", "outsider"])
def test_everyone_but_chairs_gets_404(program, role, request):
    build = ProceedingsBuild.objects.create(
        conference=program.conference, kind="zip", status="ready"
    )
    client = token_client(request.getfixturevalue(role))
    for path in ("", "csv/", "builds/", f"builds/{build.pk}/", f"builds/{build.pk}/download/"):
        assert client.get(f"{BASE}{path}").status_code == 404, path
    assert client.post(f"{BASE}builds/", {"kind": "zip"}, format="json").status_code == 404
    assert ProceedingsBuild.objects.count() == 1


def test_anonymous_gets_401(program):
    client = anonymous()
    assert client.get(BASE).status_code == 401
    assert client.post(f"{BASE}builds/", {"kind": "zip"}, format="json").status_code == 401


def test_a_conflicted_chair_exports_too(program, conflicted_chair):
    factories.ConflictFactory(submission=program.oral, user=conflicted_chair, state="confirmed")
    data = json.loads(_body(token_client(conflicted_chair).get(BASE)))
    assert [p["number"] for p in data["papers"]] == [3, 1, 2]


def test_another_conferences_build_is_404(program, chair):
    other = factories.conference_in_submission_phase(slug="other2027")
    theirs = ProceedingsBuild.objects.create(conference=other, kind="zip", status="ready")
    assert token_client(chair).get(f"{BASE}builds/{theirs.pk}/").status_code == 404


def test_an_archived_conference_exports_but_builds_nothing(program, chair):
    from django.utils import timezone

    program.conference.archived_at = timezone.now()
    program.conference.save(update_fields=["archived_at"])
    client = token_client(chair)
    assert client.get(BASE).status_code == 200
    response = client.post(f"{BASE}builds/", {"kind": "zip"}, format="json")
    assert response.status_code == 403 and "archived" in response.json()["error"]["message"]
    assert not ProceedingsBuild.objects.exists()

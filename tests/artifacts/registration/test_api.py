"""The artifact API: read (credentials only on request, to those allowed, audited), register,
change with the revision (409 on a newer one), submit, withdraw, return, appendix and smoke
checks — 404 for who may not see the artifact, 403 for a refused action."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from artifacts import secrets
from artifacts.enums import ArtifactStatus as S
from artifacts.models import Artifact, SmokeCheck
from mlsys.core.models import AuditEvent
from tests import factories as f
from tests.artifacts.registration.conftest import GOOD
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db
REFUSED = ("other_evaluator", "conflicted_ae_chair", "outsider")


def url(artifact_or_paper, name="api-artifact"):
    submission = getattr(artifact_or_paper, "submission", artifact_or_paper)
    return reverse(
        name, kwargs={"conference": submission.conference.slug, "number": submission.number}
    )


def api_data(**changes):
    data = {
        **GOOD,
        "experiments": [{"name": "Figure 3", "human_minutes": 15, "compute_hours": 2.5}],
        "datasets": [{"name": "Llama", "kind": "model", "size_gb": 13, "url": ""}],
        "special_hardware": ["InfiniBand"],
        "gpu_count": 2,
        "badges": ["available"],
    }
    data.update(changes)
    return data


def badge_ids(conference, *keys):
    from tests.artifacts.registration.conftest import badge

    return [str(badge(conference, k).pk) for k in keys]


def test_author_registers_and_reads(api, paper, ada):
    api.force_authenticate(ada)
    data = api_data(badges=badge_ids(paper.conference, "available"), contact=ada.pk)
    response = api.post(url(paper), data, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["badges"] == ["available"] and body["doi"] == "10.5281/zenodo.1234567"
    assert body["has_access_secret"] is True and "access_secret" not in body
    assert body["experiments"][0]["compute_hours"] == 2.5
    assert api.get(url(paper)).json()["revision"] == 0


def test_validation_messages_are_the_pages(api, paper, ada):
    api.force_authenticate(ada)
    response = api.post(
        url(paper),
        api_data(badges=badge_ids(paper.conference, "reusable"), version="master"),
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert "“master” is a branch" in fields["version"][0]
    rows = [{"name": f"E{i}", "human_minutes": 1, "compute_hours": 1} for i in range(5000)]
    response = api.post(
        url(paper),
        api_data(badges=badge_ids(paper.conference, "available"), experiments=rows),
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["experiments"] == [
        "At most 100 experiments (you gave 5,000)."
    ]
    assert not Artifact.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "other_author", "ae_chair"])
def test_register_refused(api, paper, who):
    user = f.UserFactory()
    if who == "other_author":
        f.SubmissionFactory(conference=paper.conference, status="accepted", authors=[user])
    elif who == "ae_chair":
        user = af.ae_chair(paper.conference)
    api.force_authenticate(user)
    data = api_data(badges=badge_ids(paper.conference, "available"))
    assert api.post(url(paper), data, format="json").status_code == 404
    assert not Artifact.objects.exists()


def test_anonymous_is_refused(api, world):
    assert api.get(url(world.artifact)).status_code in (401, 403)


@pytest.mark.parametrize("who", REFUSED)
def test_others_see_nothing(api, world, who):
    api.force_authenticate(getattr(world, who))
    assert api.get(url(world.artifact)).status_code == 404
    assert (
        api.patch(url(world.artifact), {"revision": 0, "licence": "X-1"}, format="json").status_code
        == 404
    )
    assert api.get(url(world.artifact, "api-artifact-smoke-checks")).status_code == 404
    for name in ("api-artifact-submit", "api-artifact-withdraw", "api-artifact-return"):
        assert api.post(url(world.artifact, name), {"note": "x"}, format="json").status_code == 404


@pytest.mark.parametrize(
    ("who", "code"),
    [("author", 200), ("evaluator_a", 200), ("ae_chair", 200)] + [(who, 404) for who in REFUSED],
)
def test_access_secret_only_on_request_and_only_to_those_allowed(api, world, who, code):
    Artifact.objects.filter(pk=world.artifact.pk).update(access_secret=secrets.encrypt("tok-XYZ"))
    api.force_authenticate(getattr(world, who))
    response = api.get(url(world.artifact) + "?include=access_secret")
    assert response.status_code == code
    if code == 200:
        assert response.json()["access_secret"] == "tok-XYZ"
        assert AuditEvent.objects.filter(action="artifacts.secret_revealed").count() == 1
        assert "access_secret" not in api.get(url(world.artifact)).json()


def test_patch_with_revision_and_conflict(api, world):
    api.force_authenticate(world.author)
    response = api.patch(url(world.artifact), {"licence": "MIT OR Apache-2.0"}, format="json")
    assert response.status_code == 400
    assert "revision" in response.json()["error"]["fields"]
    response = api.patch(
        url(world.artifact), {"revision": 0, "licence": "MIT OR Apache-2.0"}, format="json"
    )
    assert response.status_code == 200 and response.json()["revision"] == 1
    response = api.patch(
        url(world.artifact), {"revision": 0, "licence": "BSD-3-Clause"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["error"]["current"]["licence"] == "MIT OR Apache-2.0"
    assert "access_secret" not in response.json()["error"]["current"]


@pytest.mark.parametrize("who", ["evaluator_a", "ae_chair"])
def test_patch_by_a_viewer_who_may_not_edit_is_403(api, world, who):
    api.force_authenticate(getattr(world, who))
    response = api.patch(url(world.artifact), {"revision": 0, "licence": "X-1"}, format="json")
    assert response.status_code == 403


def test_submit_withdraw_and_return(api, django_capture_on_commit_callbacks):
    world = af.artifact_world(status=S.REGISTERED, badges=("available",))
    Artifact.objects.filter(pk=world.artifact.pk).update(contact=world.author)
    api.force_authenticate(world.evaluator_a)
    assert api.post(url(world.artifact, "api-artifact-submit")).status_code == 403
    api.force_authenticate(world.author)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url(world.artifact, "api-artifact-submit"))
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    assert api.post(url(world.artifact, "api-artifact-return"), {"note": "x"}).status_code == 403
    api.force_authenticate(world.ae_chair)
    response = api.post(url(world.artifact, "api-artifact-return"), {"note": ""}, format="json")
    assert response.status_code == 400
    response = api.post(
        url(world.artifact, "api-artifact-return"), {"note": "Pin a tag."}, format="json"
    )
    assert response.json()["status"] == "returned"
    response = api.post(url(world.artifact, "api-artifact-withdraw"))
    assert response.json()["status"] == "withdrawn"
    assert api.post(url(world.artifact, "api-artifact-withdraw")).status_code == 403


def test_smoke_checks_list_and_rerun(api, world, django_capture_on_commit_callbacks):
    api.force_authenticate(world.author)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url(world.artifact, "api-artifact-smoke-checks"))
    assert response.status_code == 201
    checks = api.get(url(world.artifact, "api-artifact-smoke-checks")).json()
    assert checks[0]["status"] == "ready"
    assert {r["level"] for r in checks[0]["results"]} == {"warning"}  # nothing answers here
    api.force_authenticate(world.evaluator_a)
    assert api.get(url(world.artifact, "api-artifact-smoke-checks")).status_code == 200
    assert api.post(url(world.artifact, "api-artifact-smoke-checks")).status_code == 403
    assert SmokeCheck.objects.count() == 1


def test_appendix_upload(api, world):
    api.force_authenticate(world.evaluator_a)
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    assert (
        api.post(
            url(world.artifact, "api-artifact-appendix"), {"file": upload}, format="multipart"
        ).status_code
        == 403
    )
    api.force_authenticate(world.author)
    upload = SimpleUploadedFile("a.pdf", b"not a pdf", content_type="application/pdf")
    response = api.post(
        url(world.artifact, "api-artifact-appendix"), {"file": upload}, format="multipart"
    )
    assert response.status_code == 400
    assert "not a PDF" in response.json()["error"]["fields"]["appendix"][0]


def test_archived_conference_refuses_writes(api, world):
    from django.utils import timezone

    type(world.conference).objects.filter(pk=world.conference.pk).update(archived_at=timezone.now())
    api.force_authenticate(world.author)
    response = api.patch(url(world.artifact), {"revision": 0, "licence": "X-1"}, format="json")
    assert response.status_code == 403
    assert api.get(url(world.artifact)).status_code == 200

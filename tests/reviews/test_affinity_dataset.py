"""The texts for an external expertise model: OpenReview's dataset format, round trip through
the upload, chairs only, constant queries."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from mlsys.core.models import AuditEvent
from reviews.affinity.csv_import import import_scores
from reviews.affinity.dataset_export import dataset_zip
from reviews.models import Affinity, ExpertiseExclusion
from submissions.enums import Status
from tests import factories


def _open(data: bytes) -> dict[str, list[dict]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: [json.loads(line) for line in archive.read(name).decode().splitlines()]
            for name in archive.namelist()
            if name.endswith(".jsonl")
        }


def _reviewer_with_papers(conference, email, n):
    user = factories.UserFactory(email=email)
    factories.MembershipFactory(conference=conference, user=user)
    papers = [
        factories.ExpertiseFactory(user=user, title=f"{email} paper {i}", abstract=f"About {i}.")
        for i in range(n)
    ]
    return user, papers


def test_dataset_holds_active_submissions_and_used_expertise(conference):
    factories.SubmissionFactory(conference=conference, number=4, title="Paging KV caches")
    factories.SubmissionFactory(conference=conference, number=5, status=Status.WITHDRAWN)
    ada, ada_papers = _reviewer_with_papers(conference, "Ada/x@uni.example.edu", 2)
    _reviewer_with_papers(conference, "sam@lab.example.com", 1)
    ExpertiseExclusion.objects.create(conference=conference, expertise=ada_papers[1])

    files = _open(dataset_zip(conference))

    assert [(s["id"], s["content"]["title"]) for s in files["submissions.jsonl"]] == [
        ("4", "Paging KV caches")
    ]
    assert [d["content"]["title"] for d in files["archives/ada%2Fx@uni.example.edu.jsonl"]] == [
        "Ada/x@uni.example.edu paper 0"
    ]
    assert len(files["archives/sam@lab.example.com.jsonl"]) == 1


def test_scores_written_on_the_dataset_upload_as_they_are(conference):
    factories.SubmissionFactory(conference=conference, number=4)
    ada, _ = _reviewer_with_papers(conference, "Ada/x@uni.example.edu", 1)
    files = _open(dataset_zip(conference))
    reviewer_id = next(n for n in files if n.startswith("archives/"))[9:-6]
    # What an OpenReview model writes: "<submission id>,<archive name>,<score>", no header.
    scores = f"{files['submissions.jsonl'][0]['id']},{reviewer_id},0.42\n".encode()

    import_scores(conference, scores, source="specter2")

    assert Affinity.objects.get(source="specter2").user == ada


@pytest.mark.parametrize("n", [1, 10])
def test_download_is_for_chairs_with_constant_queries(
    client, conference, chair, ml_reviewer, n, django_assert_num_queries
):
    for i in range(n):
        factories.SubmissionFactory(conference=conference, number=i + 1)
        _reviewer_with_papers(conference, f"r{i}@example.org", 2)
    url = reverse("reviews:affinity_dataset", kwargs={"conference": conference.slug})
    client.force_login(ml_reviewer)
    assert client.get(url).status_code == 404
    client.force_login(chair)
    client.get(url)  # warm caches (session, permissions)
    # Session, user, conference, membership, 3 reads of the texts, audit (content type cached).
    with django_assert_num_queries(10):
        response = client.get(url)

    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert len(_open(response.content)["submissions.jsonl"]) == n
    assert AuditEvent.objects.filter(action="affinity.dataset_downloaded", actor=chair).exists()

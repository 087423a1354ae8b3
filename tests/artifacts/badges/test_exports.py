"""The badge metadata export (CSV and JSON, streamed, AE chairs) and the proceedings' badges and
stamped PDFs (decisions.proceedings registries)."""

import csv
import io
import json
import zipfile

import pypdf
import pytest
from django.urls import reverse

from artifacts.badges import queries, services
from decisions.proceedings import badges, bundle, exports, finals
from decisions.proceedings import queries as proceedings_queries
from tests.artifacts.badges.conftest import award, final_pdf, published_artifact
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


def _url(conference, fmt=""):
    url = reverse("artifacts:badge_export", kwargs={"conference": conference.slug})
    return f"{url}?format={fmt}" if fmt else url


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_the_csv_export_lists_published_artifacts_and_defuses_formulas(world, client):
    conference = world.conference
    published_artifact(conference, 50, keys=("reproduced",), title="=HYPERLINK(1)", version="-v2")
    hidden = af.ArtifactFactory(conference=conference, status="decided", badges=["available"])
    award(hidden, "available")
    client.force_login(world.ae_chair)
    response = client.get(_url(conference))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    lines = list(csv.DictReader(io.StringIO(_body(response))))
    number = world.artifact.submission.number
    assert [int(line["number"]) for line in lines] == sorted([number, 50])
    row = next(line for line in lines if int(line["number"]) == number)
    assert row["badges"] == "Artifacts Available; Results Reproduced"
    assert row["doi"] == "10.5281/zenodo.1234567"
    assert row["doi_url"] == "https://doi.org/10.5281/zenodo.1234567"
    assert row["repository"] == "https://github.com/example/artifact"
    assert row["version"] == world.artifact.version and row["published_at"]
    formula = next(line for line in lines if line["number"] == "50")
    assert formula["title"] == "'=HYPERLINK(1)" and formula["version"] == "'-v2"


def test_the_json_export_is_the_same_rows(world, client):
    client.force_login(world.program_chair)
    data = json.loads(_body(client.get(_url(world.conference, "json"))))
    assert data["conference"]["slug"] == world.conference.slug
    (row,) = data["artifacts"]
    assert row["badges"] == ["Artifacts Available", "Results Reproduced"]
    assert row["doi_url"] == "https://doi.org/10.5281/zenodo.1234567"
    assert set(row) == {
        "number",
        "title",
        "badges",
        "doi",
        "doi_url",
        "repository",
        "version",
        "published_at",
    }


def test_only_ae_chairs_and_program_chairs_export(world, client):
    for person in (world.author, world.evaluator_a, world.other_evaluator, world.outsider):
        client.force_login(person)
        assert client.get(_url(world.conference)).status_code == 404, person
    client.logout()
    assert client.get(_url(world.conference)).status_code == 302
    # A conflicted AE chair exports too: the export holds only what is public.
    client.force_login(world.conflicted_ae_chair)
    assert client.get(_url(world.conference, "json")).status_code == 200


@pytest.mark.parametrize("count", [1, 10])
def test_export_queries_do_not_grow(db, client, count, django_assert_num_queries):
    conference = af.ae_conference()
    for n in range(1, count + 1):
        published_artifact(conference, n, keys=("available", "reproduced"))
    client.force_login(af.ae_chair(conference))
    # conference + schedule (3), session, user, roles; artifacts, awarded badges
    with django_assert_num_queries(8):
        body = _body(client.get(_url(conference, "json")))
    assert len(json.loads(body)["artifacts"]) == count


# --- The proceedings --------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 10])
def test_the_proceedings_provider_gives_published_labels_in_one_query(
    db, count, django_assert_num_queries
):
    conference = af.ae_conference()
    made = [
        published_artifact(conference, n, keys=("available", "reproduced"))
        for n in range(1, count + 1)
    ]
    pending = af.ArtifactFactory(conference=conference, status="decided", badges=["available"])
    award(pending, "available")
    with django_assert_num_queries(1):
        found = queries.awarded_labels(conference)
    assert found == {a.submission_id: ["Artifacts Available", "Results Reproduced"] for a in made}
    assert queries.awarded_labels in badges._providers  # registered at start-up


def test_the_proceedings_exports_carry_the_badges(world):
    rows = {row["number"]: row["badges"] for row in proceedings_queries.rows(world.conference)}
    assert rows == {world.artifact.submission.number: ["Artifacts Available", "Results Reproduced"]}
    assert exports.header(world.conference)["badges_registered"] is True


def test_the_zip_takes_the_stamped_version_of_the_current_final_pdf(
    world, django_capture_on_commit_callbacks
):
    submission = world.artifact.submission
    source = final_pdf(submission)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_stamp(world.artifact, actor=world.ae_chair)
    chosen = finals.bundle_files(world.conference, finals.final_pdfs(world.conference))
    assert chosen[submission.pk] != source.file
    with chosen[submission.pk].open("rb") as handle:
        text = pypdf.PdfReader(handle).pages[0].extract_text()
    assert "Reproduced" in text
    made = bundle.write(world.conference)
    with made.file as handle, zipfile.ZipFile(handle) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".pdf"))
        first = pypdf.PdfReader(io.BytesIO(archive.read(name))).pages[0].extract_text()
    assert "Reproduced" in first
    # A newer final PDF without a stamp yet: the ZIP takes the new original.
    newer = final_pdf(submission, check_status="passed")
    chosen = finals.bundle_files(world.conference, finals.final_pdfs(world.conference))
    assert chosen[submission.pk].name == newer.file.name


def test_the_stamped_versions_cost_one_query(world, django_assert_num_queries):
    final_pdf(world.artifact.submission)
    services.request_stamp(world.artifact, actor=world.ae_chair)  # queued: not taken
    pdfs = finals.final_pdfs(world.conference)
    with django_assert_num_queries(1):
        assert queries.stamped_versions(world.conference, pdfs) == {}

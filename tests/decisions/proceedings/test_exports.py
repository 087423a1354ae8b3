"""The JSON and CSV exports: released accepts only, in the documented order, with authors,
affiliations, ORCID, topics, badges and PDF names; constant queries in the number of papers."""

import csv
import io
import json

import pytest
from django.urls import reverse

from decisions.models import CameraReady
from decisions.proceedings import exports, queries
from tests.decisions.proceedings.conftest import many_accepted


def _url(conference, fmt):
    url = reverse("decisions:proceedings_export", kwargs={"conference": conference.slug})
    return f"{url}?format={fmt}"


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_only_released_accepts_in_track_then_outcome_then_number_order(program):
    rows = list(queries.rows(program.conference))
    # Research (order 0): oral #3 before poster #1; then Industry: #2. No #4 (pending), #5.
    assert [r["number"] for r in rows] == [3, 1, 2]


def test_a_paper_row_has_what_the_proceedings_print(program):
    oral = next(r for r in queries.rows(program.conference) if r["number"] == 3)
    assert oral == {
        "number": 3,
        "title": "=Oral paper <b>bold</b>",
        "authors": [
            {"name": "Ada Author", "affiliation": "Uni Example", "orcid": "0000-0002-1825-0097"},
            {"name": "Bo Second", "affiliation": "Lab", "orcid": None},
        ],
        "abstract": "We compile <script>alert(1)</script> tensors.\n\nSecond paragraph.",
        "track": "Research",
        "outcome": "Accept (oral)",
        "topics": ["Deep learning", "Compilers"],
        "badges": [],
        "pdf": "mlsys2027-003.pdf",
    }


def test_json_export_lists_missing_pdfs_and_says_no_badges(chair_client, program):
    response = chair_client.get(_url(program.conference, "json"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(_body(response))
    assert data["conference"] == {"slug": "mlsys2027", "name": "MLSys 2027", "year": 2027}
    assert data["badges_registered"] is False
    assert [p["number"] for p in data["papers"]] == [3, 1, 2]
    assert [p["pdf"] for p in data["papers"]] == ["mlsys2027-003.pdf", "mlsys2027-001.pdf", None]
    assert data["missing_pdf"] == [2]
    assert all(p["badges"] == [] for p in data["papers"])


def test_registered_badges_appear_in_both_exports(chair_client, program, badge_provider):
    data = json.loads(_body(chair_client.get(_url(program.conference, "json"))))
    assert data["badges_registered"] is True
    by_number = {p["number"]: p["badges"] for p in data["papers"]}
    assert by_number == {3: ["Artifacts Available", "Results Reproduced"], 1: [], 2: []}
    lines = list(
        csv.DictReader(io.StringIO(_body(chair_client.get(_url(program.conference, "csv")))))
    )
    assert lines[0]["badges"] == "Artifacts Available; Results Reproduced"


def test_csv_export_is_one_line_per_paper_and_defuses_formulas(chair_client, program):
    response = chair_client.get(_url(program.conference, "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = list(csv.DictReader(io.StringIO(_body(response))))
    assert list(lines[0]) == exports.COLUMNS
    assert [line["number"] for line in lines] == ["3", "1", "2"]
    oral = lines[0]
    assert oral["title"] == "'=Oral paper <b>bold</b>"
    assert oral["authors"] == "Ada Author; Bo Second"
    assert oral["affiliations"] == "Uni Example; Lab"
    assert oral["topics"] == "Deep learning; Compilers"
    assert oral["outcome"] == "Accept (oral)"
    assert lines[2]["pdf"] == ""


def test_an_empty_program_exports_valid_empty_files(chair_client, conference):
    data = json.loads(_body(chair_client.get(_url(conference, "json"))))
    assert data["papers"] == [] and data["missing_pdf"] == []
    assert _body(chair_client.get(_url(conference, "csv"))).strip() == ",".join(exports.COLUMNS)


def test_a_pending_accept_never_appears(chair_client, program):
    body = _body(chair_client.get(_url(program.conference, "json")))
    assert "Pending paper" not in body and "Rejected paper" not in body


@pytest.mark.parametrize("count", [1, 10])
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_queries_do_not_grow_with_papers(
    client, conference, chair, count, fmt, django_assert_num_queries
):
    many_accepted(conference, chair, count)
    client.force_login(chair)
    # conference + schedule (3), session, user, roles; ids, final PDFs, papers, authors, topics
    with django_assert_num_queries(11):
        body = _body(client.get(_url(conference, fmt)))
    assert f"Paper {99 + count}" in body


def test_file_names_pad_to_three_digits_and_keep_longer_numbers(conference):
    assert queries.pdf_name(conference, 7) == "mlsys2027-007.pdf"
    assert queries.pdf_name(conference, 1234) == "mlsys2027-1234.pdf"


def test_the_final_pdf_is_the_newest_usable_camera_ready_upload(program):
    from decisions.proceedings import finals
    from tests.decisions.proceedings.conftest import final_pdf

    newer = final_pdf(program.oral)
    final_pdf(program.oral, check_status="invalid")  # newest, but not usable
    assert finals.final_pdf(program.oral) == newer
    assert finals.final_pdfs(program.conference)[program.oral.pk] == newer
    assert finals.final_pdf(program.industry) is None
    assert finals.final_pdf_ids(program.conference) == set(finals.final_pdfs(program.conference))


def test_the_authors_confirmed_final_list_wins_over_the_submitted_one(program):
    CameraReady.objects.create(
        submission=program.oral,
        final_authors=[
            {"name": "Bo Second", "email": "bo@lab.example", "affiliation": "New Lab"},
            {
                "name": "Ada Author",
                "email": program.oral.authors.first().email.upper(),
                "affiliation": "Uni Example",
            },
        ],
    )
    [oral] = [row for row in queries.rows(program.conference) if row["number"] == 3]
    assert oral["authors"] == [
        {"name": "Bo Second", "affiliation": "New Lab", "orcid": None},
        {"name": "Ada Author", "affiliation": "Uni Example", "orcid": "0000-0002-1825-0097"},
    ]

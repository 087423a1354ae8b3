"""BibTeX import of a reviewer's papers: the parser and the profile's upload form."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mlsys.core.models import AuditEvent
from reviews.enums import ExpertiseSource
from reviews.models import Expertise
from reviews.profile import bibtex
from tests import factories

DATA = Path(__file__).parent / "data"


def upload(client, conference, content: bytes, name="papers.bib"):
    return client.post(
        reverse("reviews:profile", kwargs={"conference": conference.slug}),
        {"section": "bibtex", "bibtex-file": SimpleUploadedFile(name, content, "text/plain")},
    )


def test_parser_reads_a_real_looking_file():
    result = bibtex.parse((DATA / "expertise.bib").read_text())

    assert result.errors == []
    assert [(e.key, e.title, e.year) for e in result.entries] == [
        (
            "chen2018tvm",
            "TVM: An Automated End-to-End Optimizing Compiler for Deep Learning",
            2018,
        ),
        ("muller2021", "Schönes Scheduling für verteilte GPU-Cluster", 2021),
        ("preprint2024", "Sparse Attention at Scale", 2024),
    ]
    assert result.entries[0].abstract.startswith("There is an increasing need to bring machine")
    assert "We propose TVM, a compiler" in result.entries[0].abstract
    assert result.entries[1].abstract == "We schedule jobs on GPU clusters & cut costs by 30%."
    assert result.entries[1].line == 15


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"G{\"o}del", "Gödel"),
        (r"\'{e}l\`eve", "élève"),
        (r"Garc\'{\i}a", "García"),
        (r"\c{c}a va", "ça va"),
        (r"Stra{\ss}e", "Straße"),
        (r"\emph{Deep} \textbf{nets}", "Deep nets"),
        ("pages 1--2", "pages 1–2"),
    ],
)
def test_latex_accents_and_commands_become_plain_text(latex, text):
    assert bibtex.to_text(latex) == text


def test_malformed_entries_are_reported_with_their_line_and_the_rest_is_read():
    text = (
        "@article{good1, title={Good one}, year={2020}}\n"  # line 1
        "\n"
        "@article{unclosed,\n"  # line 3
        "  title = {Never closed,\n"
        "  year = 2019\n"
        "\n"
        "@inproceedings{notitle, year = {2018}}\n"  # line 7
        "@article{good2 title={Missing comma}}\n"  # line 8
        '@article{good3, title="Quoted", year="20x1"}\n'  # line 9
        "@book{good4, title={Last}}\n"  # line 10
    )

    result = bibtex.parse(text)

    assert [e.key for e in result.entries] == ["good1", "good3", "good4"]
    assert [line for line, _ in result.errors] == [3, 7, 8, 9]
    assert "unbalanced braces" in result.errors[0][1]
    assert "no title" in result.errors[1][1]
    assert "comma must follow the key" in result.errors[2][1]
    assert "not a year" in result.errors[3][1]


def test_import_adds_every_entry_and_audits(client, conference, ml_reviewer):
    client.force_login(ml_reviewer)

    response = upload(client, conference, (DATA / "expertise.bib").read_bytes())

    assert response.status_code == 302
    rows = list(
        Expertise.objects.used_at(conference)
        .filter(user=ml_reviewer)
        .order_by("year")
        .values_list("title", "year", "source")
    )
    assert rows == [
        ("TVM: An Automated End-to-End Optimizing Compiler for Deep Learning", 2018, "bibtex"),
        ("Schönes Scheduling für verteilte GPU-Cluster", 2021, ExpertiseSource.BIBTEX),
        ("Sparse Attention at Scale", 2024, ExpertiseSource.BIBTEX),
    ]
    event = AuditEvent.objects.get(action="reviews.expertise_added")
    assert event.note == "3 papers added (bibtex)"


def test_malformed_file_imports_nothing_and_names_the_lines(client, conference, ml_reviewer):
    factories.ExpertiseFactory(user=ml_reviewer, title="Kept")
    client.force_login(ml_reviewer)
    content = b"@article{a, title={Fine}}\n@article{b,\n  year = {2020}\n}\n@article{c title={x}}\n"

    response = upload(client, conference, content)

    assert response.status_code == 400
    errors = response.context["bibtex_form"].errors["file"]
    assert errors[0] == "Line 2: Entry “b” has no title (entry skipped)"
    assert errors[1].startswith("Line 5: @article entry “c”: a comma must follow the key")
    assert errors[-1].startswith("Nothing was imported")
    assert list(Expertise.objects.values_list("title", flat=True)) == ["Kept"]
    assert "Line 2: Entry" in response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"just some notes, no entries\n", "No entries with a title were found"),
        (b"\x00\x01binary", "This is not a text file."),
        (b"%" * (bibtex.MAX_BYTES + 1), "the limit is 1000 kB"),
    ],
)
def test_unusable_files_are_refused(client, conference, ml_reviewer, content, message):
    client.force_login(ml_reviewer)

    response = upload(client, conference, content)

    assert response.status_code == 400
    assert message in " ".join(response.context["bibtex_form"].errors["file"])
    assert not Expertise.objects.exists()


def test_latin1_file_is_read(client, conference, ml_reviewer):
    client.force_login(ml_reviewer)

    response = upload(client, conference, "@article{x, title={Caf\xe9 systems}}".encode("latin-1"))

    assert response.status_code == 302
    assert Expertise.objects.get().title == "Café systems"

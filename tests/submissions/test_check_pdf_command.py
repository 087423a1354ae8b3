"""``manage.py check_pdf``: exit 0 passes, 1 violates the spec, 2 not a usable PDF."""

import json

import pytest
from django.core.management import CommandError, call_command

from tests.submissions import pdfs


def run(*args) -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("check_pdf", *args, stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def paper_path(tmp_path):
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdfs.paper(pages=4))
    return str(path)


def test_measures_without_a_track_and_exits_0(paper_path):
    code, out = run(paper_path, "--json")

    report = json.loads(out)
    assert code == 0
    assert set(report) == {
        "valid",
        "pages",
        "pages_before_references",
        "errors",
        "warnings",
        "metrics",
    }
    assert report["valid"] is True
    assert (report["pages"], report["pages_before_references"]) == (5, 4)
    assert report["metrics"]["columns"] == 2


def test_readable_summary(paper_path):
    code, out = run(paper_path)

    assert code == 0
    assert "passes (measured only: no track given)" in out
    assert "pages: 5 (4 before the references)" in out
    assert "body font: 10 pt" in out


def test_violating_the_track_spec_exits_1(conference, paper_path):
    conference.tracks.filter(slug="research").update(page_limit=3)

    code, out = run(paper_path, "--conference", conference.slug, "--track", "Research")

    assert code == 1
    assert "violates the format spec" in out
    assert "[page_limit] The paper has 4 pages before the references; the limit is 3." in out


def test_passing_the_track_spec_exits_0(conference, paper_path):
    code, out = run(paper_path, "--conference", conference.slug, "--track", "research", "--json")

    assert code == 0
    assert json.loads(out)["errors"] == []


@pytest.mark.parametrize(
    ("data", "phrase"),
    [(pdfs.NOT_A_PDF, "not a PDF file"), (pdfs.truncated, "it has no end-of-file marker")],
    ids=["html", "truncated"],
)
def test_unusable_file_exits_2(tmp_path, data, phrase):
    path = tmp_path / "x.pdf"
    path.write_bytes(data() if callable(data) else data)

    code, out = run(str(path), "--json")
    assert code == 2
    assert phrase in json.loads(out)["errors"][0]["message"]


def test_missing_file_exits_2_without_a_traceback(tmp_path):
    code, out = run(str(tmp_path / "nope.pdf"))

    assert code == 2
    assert "is not a usable PDF" in out
    assert "[missing]" in out


def test_unknown_track_is_a_usage_error(conference, paper_path):
    with pytest.raises(CommandError, match="No track 'nope'"):
        call_command("check_pdf", paper_path, "--conference", conference.slug, "--track", "nope")

"""The parent-side pre-check: cheap rejections before a child process is spawned."""

from submissions.pdfcheck.isolate import precheck, run_isolated
from tests.submissions import pdfs


def test_trailing_bytes_after_the_end_marker_are_accepted(tmp_path):
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdfs.paper(pages=1, references=False) + b"\n" + b"\0" * 500)
    assert precheck(path) is None
    assert run_isolated(path)["valid"] is True


def test_a_cut_off_upload_is_rejected_without_a_child(tmp_path):
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdfs.truncated())
    report = precheck(path)
    assert report["valid"] is False
    assert report["errors"][0]["code"] == "truncated"


def test_damage_in_the_middle_still_reaches_the_checker(tmp_path):
    data = bytearray(pdfs.paper(pages=1, references=False))
    middle = len(data) // 2
    data[middle : middle + 2000] = b"#" * 2000
    path = tmp_path / "paper.pdf"
    path.write_bytes(bytes(data))
    assert precheck(path) is None
    report = run_isolated(path)
    assert "errors" in report

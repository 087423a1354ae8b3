"""Hostile and broken files: each ends as a clear error from the isolated checker, quickly,
and nothing is raised in this process."""

import time

import pytest

from submissions.pdfcheck import FormatSpec, run_isolated, status_of
from tests.submissions import pdfs

SPEC = FormatSpec(page_limit=10, paper_size="letter_or_a4", anonymity="double_blind")


def isolated(tmp_path, data: bytes, name: str = "upload.pdf", **options) -> dict:
    path = tmp_path / name
    path.write_bytes(data)
    return run_isolated(str(path), SPEC, **options)


@pytest.mark.parametrize(
    ("build", "code", "phrase"),
    [
        (lambda: pdfs.NOT_A_PDF, "not_pdf", "looks like an HTML page"),
        (lambda: pdfs.EMPTY, "empty", "The file is empty"),
        (pdfs.truncated, "truncated", "it has no end-of-file marker"),
        (pdfs.encrypted_user_password, "encrypted", "protected with a password"),
        (pdfs.page_tree_loop, "unreadable", "page tree is broken"),
        (pdfs.content_bomb, "resource_limit", "expands far beyond a normal paper"),
        (pdfs.xmp_bomb, "resource_limit", "expands far beyond a normal paper"),
        (pdfs.page_xmp_bomb, "resource_limit", "expands far beyond a normal paper"),
        (pdfs.many_pages, "too_many_pages", "2001 pages; at most 300"),
        (pdfs.javascript_open_action, "javascript", "contains JavaScript"),
        (pdfs.launch_action, "launch_action", "launches a program"),
    ],
    ids=[
        "html",
        "empty",
        "truncated",
        "user-password",
        "page-tree-loop",
        "content-bomb",
        "xmp-bomb",
        "page-xmp-bomb",
        "2001-pages",
        "javascript",
        "launch",
    ],
)
def test_hostile_file_is_rejected_with_a_clear_error(tmp_path, build, code, phrase):
    started = time.monotonic()
    report = isolated(tmp_path, build())
    elapsed = time.monotonic() - started

    assert report["valid"] is False
    assert status_of(report) == "invalid"
    assert code in [error["code"] for error in report["errors"]]
    assert phrase in " ".join(error["message"] for error in report["errors"])
    assert elapsed < 10


def test_a_dangling_reference_in_an_identity_place_is_not_fatal(tmp_path):
    report = isolated(tmp_path, pdfs.broken_ptex_reference(), copy_to=tmp_path / "copy.pdf")

    assert report["valid"] is True
    assert report["anonymity"] == []
    assert (tmp_path / "copy.pdf").exists()


def test_owner_only_password_opens_and_passes(tmp_path):
    report = isolated(tmp_path, pdfs.encrypted_owner_only())

    assert report["valid"] is True
    assert report["pages"] == 1
    assert report["errors"] == []


def test_embedded_file_is_only_a_warning(tmp_path):
    report = isolated(tmp_path, pdfs.embedded_file())

    assert report["valid"] is True
    assert [w["code"] for w in report["warnings"]] == ["embedded_file"]


def test_decompression_bomb_is_contained_within_seconds(tmp_path):
    started = time.monotonic()
    report = isolated(tmp_path, pdfs.content_bomb())

    assert time.monotonic() - started < 5
    assert report["errors"][0]["code"] == "resource_limit"


def test_child_over_its_memory_limit_is_reported_not_raised(tmp_path):
    report = isolated(tmp_path, pdfs.paper(pages=1, references=False), memory_mb=40)

    assert report["valid"] is False
    assert report["errors"][0]["code"] == "not_processed"
    assert report["errors"][0]["message"] == (
        "The file could not be processed (it needed too much memory)."
    )


def test_child_over_its_time_limit_is_killed(tmp_path):
    started = time.monotonic()
    report = isolated(tmp_path, pdfs.paper(pages=1, references=False), timeout_s=0.05)

    assert time.monotonic() - started < 5
    assert report["errors"] == [
        {
            "code": "not_processed",
            "message": "The file could not be processed (it took longer than 0.05 seconds).",
        }
    ]


def test_size_limit_is_checked_before_spawning(tmp_path):
    report = isolated(tmp_path, pdfs.paper(pages=1, references=False), max_bytes=1000)

    assert report["errors"][0]["code"] == "too_large"


def test_same_file_gives_the_same_report_twice(tmp_path):
    first = isolated(tmp_path, pdfs.paper(pages=2))
    second = isolated(tmp_path, pdfs.paper(pages=2))

    assert first == second
    assert first["valid"] is True

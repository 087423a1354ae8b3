"""Run the analysis of an untrusted PDF in a child process with hard resource limits.

Measured (docs/pdf-checks.md): under a 1 GiB address-space limit pdfium aborts the whole process,
and Celery's soft time limit cannot interrupt C code. So the parent only reads the first bytes
and the size; everything else happens in ``python -m submissions.pdfcheck.child``.
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from submissions.pdfcheck.report import NOT_PROCESSED, failure
from submissions.pdfcheck.spec import FormatSpec

PDF_MAGIC = b"%PDF-"
#: The PDF spec lets the header start anywhere in the first 1024 bytes (after junk some tools
#: prepend); readers accept that, so do we.
HEADER_WINDOW = 1024
#: Readers (Acrobat first) require "%%EOF" within the last 1024 bytes; a file without it was cut
#: off in transfer or export. Checking it here rejects truncated uploads without a child process.
EOF_MARKER = b"%%EOF"
TRAILER_WINDOW = 1024
#: Room for the review copy beyond twice the original's size (new xref table, rewritten objects).
COPY_OVERHEAD = 2**20
#: How a child that ran out of its address space dies: a MemoryError, or (when an allocation
#: fails inside C code, e.g. while importing) a SystemError about a NULL without an exception.
MEMORY_SIGNS = (
    b"MemoryError",
    b"without setting an exception",
    b"error return without exception set",
)
#: The directory holding the ``submissions`` package: the child's working directory.
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def run_child(
    module: str, request: str, *, timeout_s: float, home: bool = False
) -> subprocess.CompletedProcess:
    """``python -m module`` in the project, ``request`` (JSON) on its stdin, with a minimal
    environment (and HOME with ``home``: fontconfig keeps its cache there) and a wall-clock
    limit (raises subprocess.TimeoutExpired). The child sets its own memory and CPU limits from
    the request. Used by the PDF checks and by artifacts' stamping."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
    }
    if home and os.environ.get("HOME"):
        env["HOME"] = os.environ["HOME"]
    return subprocess.run(
        [sys.executable, "-m", module],
        input=request.encode(),
        capture_output=True,
        timeout=timeout_s,
        cwd=PROJECT_ROOT,
        env=env,
        check=False,
    )


def precheck(path: str | os.PathLike, max_bytes: int | None = None) -> dict[str, Any] | None:
    """A failure report if ``path`` is missing, empty, over ``max_bytes``, not a PDF at all or
    cut off before its end; ``None`` when it is worth spawning the checker. Reads 2 KiB."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            head = handle.read(HEADER_WINDOW)
            handle.seek(max(0, size - TRAILER_WINDOW))
            tail = handle.read(TRAILER_WINDOW)
    except FileNotFoundError:
        return failure("missing", f"The file {os.fspath(path)!r} does not exist.")
    except (IsADirectoryError, PermissionError) as exc:
        return failure("unreadable", f"The file cannot be read ({exc.strerror}).")
    if size == 0:
        return failure("empty", "The file is empty.")
    if max_bytes is not None and size > max_bytes:
        return failure(
            "too_large",
            f"The file is {size / 2**20:.1f} MB; at most {max_bytes / 2**20:.0f} MB is accepted.",
        )
    if PDF_MAGIC not in head:
        kind = _sniff(head)
        return failure("not_pdf", f"This is not a PDF file{kind} (it has no %PDF- header).")
    if EOF_MARKER not in tail:
        return failure(
            "truncated",
            "The PDF is incomplete: it has no end-of-file marker (%%EOF) at its end, so it was "
            "probably cut off while exporting or uploading. Export it again and re-upload it.",
        )
    return None


def run_isolated(
    path: str | os.PathLike,
    spec: FormatSpec | None = None,
    *,
    timeout_s: float = 20,
    memory_mb: int = 1024,
    cpu_s: int = 15,
    max_bytes: int | None = None,
    copy_to: str | os.PathLike | None = None,
) -> dict[str, Any]:
    """The report of :func:`submissions.pdfcheck.analysis.analyse`, computed in a child process.

    Never raises for a bad file: a child that is killed (memory, CPU), times out or prints
    garbage yields a report with ``valid`` False and an error saying the file could not be
    processed. The report carries the extracted text under ``"text"``.

    With ``copy_to``, the child also writes the anonymised review copy of a valid PDF to that
    path (:mod:`submissions.pdfcheck.anonymise`); the file exists afterwards only if the report
    is valid and has no ``review_copy`` warning. The caller owns (and removes) the path.
    """
    bad = precheck(path, max_bytes)
    if bad is not None:
        return bad
    request = json.dumps(
        {
            "path": os.path.abspath(path),
            "spec": spec.to_dict() if spec is not None else None,
            "memory_mb": memory_mb,
            "cpu_s": cpu_s,
            "copy_to": os.path.abspath(copy_to) if copy_to is not None else None,
            # Streams are copied, not decoded, so the copy is about the original's size.
            "copy_max_bytes": 2 * os.path.getsize(path) + COPY_OVERHEAD,
        }
    )
    try:
        done = run_child("submissions.pdfcheck.child", request, timeout_s=timeout_s)
    except subprocess.TimeoutExpired:
        _discard(copy_to)
        return _lost(f"it took longer than {timeout_s:g} seconds")
    report = _answer(done)
    if not report.get("valid"):
        # A child killed half-way may have left a partial copy behind.
        _discard(copy_to)
    return report


def _answer(done: subprocess.CompletedProcess) -> dict[str, Any]:
    if done.returncode < 0:
        return _lost(_signal_reason(-done.returncode))
    if done.returncode != 0:
        if any(sign in done.stderr[-2000:] for sign in MEMORY_SIGNS):
            return _lost("it needed too much memory")
        return _lost(f"the checker exited with status {done.returncode}")
    try:
        report = json.loads(done.stdout)
    except ValueError:
        return _lost("the checker gave no readable answer")
    if not isinstance(report, dict) or "valid" not in report:
        return _lost("the checker gave no readable answer")
    return report


def _discard(path: str | os.PathLike | None) -> None:
    if path is not None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def _lost(reason: str) -> dict[str, Any]:
    return failure("not_processed", f"{NOT_PROCESSED.capitalize()} ({reason}).")


def _signal_reason(number: int) -> str:
    if number == signal.SIGXCPU or number == signal.SIGKILL:
        return "it needed too much processing time or memory"
    if number == signal.SIGABRT or number == signal.SIGSEGV:
        return "it needed too much memory or is malformed"
    return f"the checker was stopped by signal {signal.Signals(number).name}"


def _sniff(head: bytes) -> str:
    lowered = head[:200].lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return " (it looks like an HTML page)"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return " (it looks like a ZIP archive)"
    if head.startswith(b"{\\rtf"):
        return " (it looks like an RTF document)"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return " (it looks like a Word document)"
    return ""

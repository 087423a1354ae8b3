"""Entry point of the checker process: ``python -m submissions.pdfcheck.child``.

Reads ``{"path", "spec", "memory_mb", "cpu_s", "copy_to", "copy_max_bytes"}`` as JSON on stdin,
applies the resource limits before importing any PDF library, and writes the report as JSON on
stdout. With ``copy_to`` it also writes the anonymised review copy of a valid PDF there (see
:mod:`submissions.pdfcheck.anonymise`), the only file it may write, at most ``copy_max_bytes``
long, and lists what the copy left out under ``review_copy_removed``; failing to write it
adds a ``review_copy`` warning and removes the partial file. Exits 0
whenever it could write a report; a crash or a kill is the parent's to report.
"""

import contextlib
import json
import os
import resource
import signal
import sys

from submissions.pdfcheck.report import issue
from submissions.pdfcheck.spec import FormatSpec

#: Phrase of the warning recorded when the review copy could not be written.
COPY_FAILED = "An anonymised copy for reviewers could not be made"


def _limit(memory_mb: int, cpu_s: int, file_bytes: int = 0) -> None:
    memory = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # SIGXCPU at the soft limit, SIGKILL one second later.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    # The checker writes nothing but its answer on the stdout pipe (and, when asked, one review
    # copy of bounded size). Past the limit a write fails with EFBIG instead of killing us.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main() -> int:
    request = json.loads(sys.stdin.buffer.read())
    copy_to = request.get("copy_to")
    _limit(
        int(request.get("memory_mb", 1024)),
        int(request.get("cpu_s", 15)),
        int(request.get("copy_max_bytes", 0)) if copy_to else 0,
    )

    # Imported only now: the PDF libraries load under the limits just set.
    from submissions.pdfcheck.analysis import analyse

    spec = FormatSpec.from_dict(request["spec"]) if request.get("spec") else None
    report = analyse(request["path"], spec)
    if copy_to and report.get("valid"):
        _review_copy(request["path"], copy_to, report)
    sys.stdout.write(json.dumps(report))
    sys.stdout.flush()
    return 0


def _review_copy(path: str, target: str, report: dict) -> None:
    # Imported here, as in main(): only under the limits (it loads pypdf).
    from submissions.pdfcheck.anonymise import write_review_copy

    try:
        removed = write_review_copy(path, target)
    # Whatever pypdf raises on a file the analysis accepted (or EFBIG, MemoryError) must not
    # cost the author the report: the copy is optional, the check is not.
    except Exception as exc:  # noqa: BLE001
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)
        report["warnings"].append(
            issue(
                "review_copy",
                f"{COPY_FAILED} ({type(exc).__name__}); reviewers cannot download the paper "
                "until it is re-checked or a new version is uploaded.",
            )
        )
    else:
        # What the reviewers' copy leaves out, for the author's report.
        report["review_copy_removed"] = [
            {"what": what, "count": count} for what, count in sorted(removed.items())
        ]


if __name__ == "__main__":
    sys.exit(main())

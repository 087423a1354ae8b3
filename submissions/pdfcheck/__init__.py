"""Checks of uploaded PDFs: validity, safety, page count, format and anonymity.

Hostile files are expected, so parsing never happens in the calling process:
:func:`run_isolated` runs :func:`analyse` in a child process (``python -m
submissions.pdfcheck.child``) under memory, CPU-time and file-size limits and a wall-clock
timeout, and turns a crashed or killed child into an ordinary error report.

This package must not import Django: the child imports it and has to start fast.
"""

from submissions.pdfcheck.isolate import precheck, run_isolated
from submissions.pdfcheck.report import failure, status_of
from submissions.pdfcheck.spec import FormatSpec


def analyse(path: str, spec: FormatSpec | None = None) -> dict:
    """Analyse the PDF at ``path`` in THIS process (see :mod:`submissions.pdfcheck.analysis`).

    Only the child process and tests of trusted files should call this directly.
    """
    # Imported here: analysis loads the PDF libraries, which only the child process needs.
    from submissions.pdfcheck.analysis import analyse as _analyse

    return _analyse(path, spec)


__all__ = ["FormatSpec", "analyse", "failure", "precheck", "run_isolated", "status_of"]

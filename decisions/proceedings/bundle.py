"""The ZIP of final PDFs: one ``<slug>-<number>.pdf`` per accepted paper that has a final PDF,
in the proceedings' order, and a README.txt naming the papers left out for want of one.

Written to a temporary file (a conference's finals can be gigabytes), PDFs stored without
compression (they are compressed already). A paper's final PDF may be replaced by a version an
app above registered (the camera-ready stamped with its artifact badges:
``finals.register_version``); if that version is missing from storage the original is taken.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from typing import IO

from django.utils import timezone

from decisions.proceedings import finals, queries


@dataclass
class Bundle:
    file: IO[bytes]  # a named temporary file: closing it deletes it
    papers: int
    included: int
    missing: list[int] = field(default_factory=list)


def readme(conference, *, included: int, missing: list[tuple[int, str]]) -> str:
    lines = [
        f"{conference.name}: final PDFs of the accepted papers",
        f"Built {timezone.now():%Y-%m-%d %H:%M} UTC; {included} PDF(s), "
        f"named {conference.slug}-<paper number>.pdf.",
        "",
    ]
    if missing:
        lines.append(f"{len(missing)} accepted paper(s) have no final PDF and are not included:")
        lines.extend(f"  #{number}  {title}" for number, title in missing)
    else:
        lines.append("Every accepted paper has its final PDF here.")
    return "\n".join(lines) + "\n"


def write(conference) -> Bundle:
    """Build the ZIP into a named temporary file (the caller closes it, which deletes it)."""
    pdfs = finals.final_pdfs(conference)
    stored_files = finals.bundle_files(conference, pdfs)
    papers = list(accepted_numbers(conference))
    handle = tempfile.NamedTemporaryFile(suffix=".zip")  # noqa: SIM115 - the caller closes it
    missing: list[tuple[int, str]] = []
    included = 0
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for pk, number, title in papers:
            paper_file = pdfs.get(pk)
            if paper_file is None:
                missing.append((number, title))
                continue
            try:
                source = _open(stored_files.get(pk), paper_file)
            except FileNotFoundError:
                missing.append((number, f"{title} (its final PDF is missing from storage)"))
                continue
            with source, archive.open(queries.pdf_name(conference, number), "w") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
            included += 1
        archive.writestr("README.txt", readme(conference, included=included, missing=missing))
    handle.flush()
    handle.seek(0)
    return Bundle(
        file=handle, papers=len(papers), included=included, missing=[n for n, _ in missing]
    )


def _open(stored, paper_file):
    """The chosen version of a final PDF opened for reading, else the final PDF itself."""
    if stored is not None and stored is not paper_file.file:
        try:
            return stored.open("rb")
        except FileNotFoundError:
            pass
    return paper_file.file.open("rb")


def accepted_numbers(conference):
    return queries.accepted(conference).values_list("pk", "number", "title")

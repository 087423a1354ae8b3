"""The reviewers' copy of a paper: the same PDF without the metadata that can name its authors.

Runs only inside the checker process (after :func:`submissions.pdfcheck.analysis.analyse`
accepted the file), under the same resource limits. Streams are copied as they are, never
decoded, so a compressed bomb the analysis let through cannot inflate here.
"""

import logging
import warnings

import pypdf
from pypdf.generic import DictionaryObject, NameObject

#: Entries that carry who made the file or where it came from: the XMP packet, and Acrobat's
#: per-application private data (often the author's tool settings and paths).
IDENTIFYING_KEYS = ("/Metadata", "/PieceInfo")


def write_review_copy(source: str, target: str) -> None:
    """Write ``source`` to ``target`` with no document info dictionary (title, author, creator,
    producer, subject, keywords, dates) and no XMP metadata on the catalog or any page.

    Pages, content and fonts are unchanged. Raises whatever pypdf raises for a file it cannot
    read; the caller turns that into a warning.
    """
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = pypdf.PdfReader(source)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValueError("the PDF is encrypted")
        writer = pypdf.PdfWriter(clone_from=reader)
        writer.metadata = None
        _strip(writer.root_object)
        for page in writer.pages:
            _strip(page)
        # The cloned info and XMP objects are still in the writer's table; unreferenced now,
        # they would be written all the same.
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        with open(target, "wb") as handle:
            writer.write(handle)


def _strip(obj: DictionaryObject) -> None:
    for key in IDENTIFYING_KEYS:
        obj.pop(NameObject(key), None)

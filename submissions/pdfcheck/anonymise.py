"""The reviewers' copy of a paper: the same PDF without anything outside the page content that
can name its authors.

Runs only inside the checker process (after :func:`submissions.pdfcheck.analysis.analyse`
accepted the file), under the same resource limits. Streams are copied as they are, never
decoded, so a compressed bomb the analysis let through cannot inflate here.

Removed: the document info dictionary, every XMP metadata stream (on the catalog, pages,
images, fonts, figures, annotations: any object), Acrobat's ``/PieceInfo``, the author (``/T``)
of every comment-like annotation, pdfTeX's ``/PTEX.InfoDict`` and ``/PTEX.FileName`` (the
document info and path of an included PDF figure), and embedded files (the attachment list,
file-attachment annotations and associated files). Kept, because they are content the analysis
checks and reports as errors instead: page text, links, bookmark titles, annotation texts and
form-field values.
"""

import logging
import warnings
from collections import Counter

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

#: Entries removed wherever they occur -> what the report calls them.
IDENTIFYING_KEYS = {
    "/Metadata": "XMP metadata streams",
    "/PieceInfo": "application private data (PieceInfo)",
    "/PTEX.InfoDict": "document info of included figures (PTEX.InfoDict)",
    "/PTEX.FileName": "file names of included figures (PTEX.FileName)",
    "/AF": "associated files",
}
#: Annotation types whose /T is not an author (a form field's name, nothing at all).
NOT_MARKUP = {"/Widget", "/Link", "/Popup"}
#: How deep direct (not indirect) objects are followed inside one object.
MAX_DEPTH = 12


def write_review_copy(source: str, target: str) -> dict[str, int]:
    """Write ``source`` to ``target`` without the identifying entries listed in the module
    docstring; return how many of each kind were removed (document info counts as one).

    Pages, content and fonts are unchanged. Raises whatever pypdf raises for a file it cannot
    read; the caller turns that into a warning.
    """
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    removed: Counter[str] = Counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = pypdf.PdfReader(source)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValueError("the PDF is encrypted")
        if reader.metadata:
            removed["document info (title, author, creator, producer…)"] += 1
        writer = pypdf.PdfWriter(clone_from=reader)
        writer.metadata = None
        _drop_attachment_list(writer.root_object, removed)
        for page in writer.pages:
            _drop_attachment_annotations(page, removed)
        for obj in list(writer._objects):
            if obj is not None:
                _strip(obj, removed, 0)
        # The detached objects (XMP streams, embedded files) are still in the writer's table;
        # unreferenced now, they would be written all the same.
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        with open(target, "wb") as handle:
            writer.write(handle)
    return dict(removed)


def _strip(obj, removed: Counter, depth: int) -> None:
    """Remove identifying entries from ``obj`` and from the direct objects inside it."""
    if depth > MAX_DEPTH or isinstance(obj, IndirectObject):
        return
    if isinstance(obj, DictionaryObject):
        for key, label in IDENTIFYING_KEYS.items():
            if obj.pop(NameObject(key), None) is not None:
                removed[label] += 1
        subtype = obj.get("/Subtype")
        is_annotation = obj.get("/Type") == "/Annot" or (subtype is not None and "/Rect" in obj)
        if is_annotation and subtype not in NOT_MARKUP and "/T" in obj:
            del obj[NameObject("/T")]
            removed["annotation authors"] += 1
        if "/EF" in obj:
            # The whole file specification: its name and description may name the authors.
            obj.clear()
            removed["embedded files"] += 1
            return
        for value in list(obj.values()):
            _strip(value, removed, depth + 1)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            _strip(value, removed, depth + 1)


def _drop_attachment_list(root: DictionaryObject, removed: Counter) -> None:
    names = root.get("/Names")
    names = names.get_object() if names is not None else None
    if isinstance(names, DictionaryObject):
        names.pop(NameObject("/EmbeddedFiles"), None)


def _drop_attachment_annotations(page: DictionaryObject, removed: Counter) -> None:
    annots = page.get("/Annots")
    annots = annots.get_object() if annots is not None else None
    if not isinstance(annots, ArrayObject):
        return
    kept = ArrayObject()
    for item in annots:
        annotation = item.get_object() if isinstance(item, IndirectObject) else item
        if isinstance(annotation, DictionaryObject) and annotation.get("/Subtype") == (
            "/FileAttachment"
        ):
            removed["file attachment annotations"] += 1
            continue
        kept.append(item)
    if len(kept) != len(annots):
        page[NameObject("/Annots")] = kept

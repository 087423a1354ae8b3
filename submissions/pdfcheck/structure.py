"""The pypdf pass: validity, encryption, page count, metadata, actions, and a decompression
budget for every non-image stream, before pdfium (which has no such limits) sees the file."""

import re
from dataclasses import dataclass, field
from typing import Any

import pypdf
from django.template.defaultfilters import pluralize
from pypdf.errors import FileNotDecryptedError, LimitReachedError, PdfReadError
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

from submissions.pdfcheck.report import issue

#: Pages beyond this are refused before any heavy work.
PAGE_CAP = 300
#: One stream may not inflate beyond this (pypdf stops it with LimitReachedError).
STREAM_LIMIT = 64 * 2**20
#: All non-image streams together may not inflate beyond this.
TOTAL_STREAM_BUDGET = 256 * 2**20
#: Objects scanned for actions and attachments; a paper has a few thousand.
OBJECT_CAP = 200_000
#: Action types that reach the network or the local machine when they fire by themselves.
AUTO_ACTION_TYPES = {"/URI", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE", "/Launch"}
INFO_KEYS = ("/Author", "/Creator", "/Producer", "/Title", "/Subject", "/Keywords")
#: Annotation types that are not notes somebody wrote (their /T, if any, is not an author).
NOT_MARKUP = {"/Widget", "/Link", "/Popup"}
#: Places collected per file, and characters kept of each.
FIELD_CAP = 5000
FIELD_CHARS = 2000
#: The library errors that mean "this is not a PDF we can read"; anything else is a bug.
READ_ERRORS = (
    PdfReadError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    RecursionError,
    AssertionError,
    OSError,
    UnicodeError,
    ZeroDivisionError,
)


class Fatal(Exception):
    """The file is not a usable PDF; carries the report error."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Structure:
    pages: int
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    xmp_text: str = ""
    uris: list[str] = field(default_factory=list)
    #: Every other place that can carry who wrote the file, as
    #: ``{"where", "text", "stripped", "page"}``: ``stripped`` places are removed from the
    #: reviewers' copy (:mod:`submissions.pdfcheck.anonymise`), the others stay in it.
    identity_fields: list[dict] = field(default_factory=list)
    #: Names of the embedded (attached) files.
    embedded_names: list[str] = field(default_factory=list)


def configure() -> None:
    pypdf.overwrite_configuration(
        zlib_maximum_output_length=STREAM_LIMIT,
        lzw_maximum_output_length=STREAM_LIMIT,
        run_length_maximum_output_length=STREAM_LIMIT,
        brotli_maximum_output_length=STREAM_LIMIT,
        array_based_stream_maximum_output_length=STREAM_LIMIT,
        disable_legacy_handling=True,
    )


def inspect(path: str) -> Structure:
    """Raise :class:`Fatal` for an unusable or unsafe-to-parse file; else the structure found."""
    configure()
    try:
        reader = pypdf.PdfReader(path, strict=False)
    except LimitReachedError as exc:
        raise _bomb() from exc
    except READ_ERRORS as exc:
        raise Fatal("unreadable", f"The file is not a readable PDF ({_short(exc)}).") from exc
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except READ_ERRORS as exc:
            raise Fatal("encrypted", "The PDF is encrypted in a way we cannot open.") from exc
        if not opened:
            raise Fatal(
                "encrypted",
                "The PDF is protected with a password; upload it without a password.",
            )
    try:
        pages = len(reader.pages)
    except LimitReachedError as exc:
        raise _bomb() from exc
    except (FileNotDecryptedError, *READ_ERRORS) as exc:
        raise Fatal("unreadable", f"The PDF's page tree is broken ({_short(exc)}).") from exc
    if pages == 0:
        raise Fatal("no_pages", "The PDF has no pages.")
    if pages > PAGE_CAP:
        raise Fatal(
            "too_many_pages", f"The PDF has {pages} pages; at most {PAGE_CAP} can be checked."
        )
    found = Structure(pages=pages)
    try:
        _scan_objects(reader, found)
        found.metadata = _info(reader)
        found.xmp_text = _xmp(reader)
    except LimitReachedError as exc:
        raise _bomb() from exc
    except MemoryError as exc:
        raise _bomb() from exc
    return found


def _scan_objects(reader: pypdf.PdfReader, found: Structure) -> None:
    numbers = set(reader.xref_objStm)
    for table in reader.xref.values():
        numbers.update(table)
    javascript = launch = embedded = False
    auto: set[str] = set()
    unreadable = 0
    budget = TOTAL_STREAM_BUDGET
    catalog = reader.trailer.get("/Root")
    catalog = catalog.get_object() if catalog is not None else None
    if isinstance(catalog, DictionaryObject) and "/OpenAction" in catalog:
        auto |= _action_types(catalog["/OpenAction"])
    annotation_pages = _annotation_pages(reader)
    for count, number in enumerate(sorted(numbers)):
        if count >= OBJECT_CAP:
            found.warnings.append(
                issue("incomplete_scan", f"Only the first {OBJECT_CAP} objects were inspected.")
            )
            break
        try:
            obj = reader.get_object(number)
        except LimitReachedError:
            raise
        except READ_ERRORS:
            unreadable += 1
            continue
        if not isinstance(obj, DictionaryObject):
            continue
        kind = obj.get("/S")
        if kind == "/JavaScript" or "/JS" in obj:
            javascript = True
        elif kind == "/Launch":
            launch = True
        elif kind == "/URI" and len(found.uris) < 500:
            found.uris.append(str(obj.get("/URI", "")))
        if obj.get("/Type") == "/EmbeddedFile" or "/EF" in obj:
            embedded = True
        if obj is not catalog:
            try:
                _identity_fields(obj, found, annotation_pages.get(number))
            except LimitReachedError:
                raise
            except READ_ERRORS:
                unreadable += 1
        if "/AA" in obj:
            triggers = obj["/AA"].get_object()
            if isinstance(triggers, DictionaryObject):
                for value in triggers.values():
                    auto |= _action_types(value)
        if isinstance(obj, StreamObject) and obj.get("/Subtype") != "/Image":
            try:
                budget -= len(obj.get_data())
            except LimitReachedError:
                raise
            except READ_ERRORS:
                unreadable += 1
            if budget < 0:
                raise _bomb()
    if javascript or "/JavaScript" in auto:
        found.errors.append(
            issue("javascript", "The PDF contains JavaScript; remove it (print to PDF again).")
        )
    if launch:
        found.errors.append(
            issue("launch_action", "The PDF contains an action that launches a program.")
        )
    risky = sorted((auto & AUTO_ACTION_TYPES) - {"/Launch"})
    if risky:
        found.errors.append(
            issue(
                "auto_action",
                "The PDF runs an action when it is opened ("
                + ", ".join(r.lstrip("/") for r in risky)
                + "); remove it so that opening the PDF contacts nothing.",
            )
        )
    if embedded:
        names = ", ".join(f"“{name}”" for name in found.embedded_names[:5]) or "unnamed"
        found.warnings.append(
            issue(
                "embedded_file",
                f"The PDF has embedded files ({names}); anyone who has the PDF can open them.",
                names=found.embedded_names[:20],
            )
        )
    if unreadable:
        found.warnings.append(
            issue(
                "damaged",
                f"{unreadable} internal object{pluralize(unreadable)} of the PDF could not be "
                "read.",
            )
        )


def _annotation_pages(reader: pypdf.PdfReader) -> dict[int, int]:
    """Object number of each page's (indirect) annotations -> page number from 1."""
    found: dict[int, int] = {}
    for index, page in enumerate(reader.pages):
        try:
            annots = page.get("/Annots")
            annots = annots.get_object() if annots is not None else None
        except READ_ERRORS:
            continue
        if not isinstance(annots, ArrayObject):
            continue
        for item in annots[:1000]:
            if isinstance(item, IndirectObject):
                found.setdefault(item.idnum, index + 1)
    return found


def _identity_fields(obj: DictionaryObject, found: Structure, page: int | None) -> None:
    """Record the author-bearing entries of one object: XMP attached to it, annotation authors
    and texts, bookmark titles, form-field values, pdfTeX's copy of an included PDF's document
    info, embedded file names."""

    def add(where: str, value: Any, stripped: bool, on_page: int | None = None) -> None:
        text = _string(value)
        if text and len(found.identity_fields) < FIELD_CAP:
            found.identity_fields.append(
                {"where": where, "text": text[:FIELD_CHARS], "stripped": stripped, "page": on_page}
            )

    if "/Metadata" in obj:
        add(f"XMP metadata of {_owner(obj)}", _stream_text(obj["/Metadata"]), True, page)
    subtype = obj.get("/Subtype")
    is_annotation = obj.get("/Type") == "/Annot" or (subtype is not None and "/Rect" in obj)
    if is_annotation and subtype not in NOT_MARKUP:
        add("annotation author", obj.get("/T"), True, page)
        add("annotation text", obj.get("/Contents"), False, page)
        add("annotation text", obj.get("/RC"), False, page)
    if "/Title" in obj and "/Parent" in obj and not is_annotation:
        add("bookmark", obj.get("/Title"), False)
    if "/FT" in obj or (subtype == "/Widget" and "/V" in obj):
        name = _string(obj.get("/T")) or "unnamed"
        add(f"form field “{name[:60]}”", obj.get("/V"), False, page)
    info = obj.get("/PTEX.InfoDict")
    if info is not None:
        info = info.get_object()
        if isinstance(info, DictionaryObject):
            for key, value in list(info.items())[:50]:
                add(f"PTEX.InfoDict of an included figure ({str(key).lstrip('/')})", value, True)
    add("PTEX.FileName of an included figure", obj.get("/PTEX.FileName"), True)
    if "/EF" in obj:
        name = _string(obj.get("/UF")) or _string(obj.get("/F")) or "unnamed"
        if len(found.embedded_names) < 100:
            found.embedded_names.append(name[:200])
        add(f"embedded file “{name[:60]}”", name, True)
        add(f"embedded file “{name[:60]}” (description)", obj.get("/Desc"), True)


def _owner(obj: DictionaryObject) -> str:
    kind = str(obj.get("/Subtype") or obj.get("/Type") or "").lstrip("/")
    return {
        "Page": "a page",
        "Image": "an image",
        "Form": "an included figure",
        "Font": "a font",
        "FontDescriptor": "a font",
    }.get(kind, f"an object ({kind})" if kind else "an object")


def _string(value: Any) -> str:
    """The text of a PDF string (or name) value; "" for anything else."""
    if isinstance(value, IndirectObject):
        try:
            value = value.get_object()
        except READ_ERRORS:
            return ""
    if isinstance(value, TextStringObject | ByteStringObject | NameObject | str):
        return str(value).strip()
    return ""


def _stream_text(ref: Any) -> str:
    """The text of a metadata stream (XML tags stripped), or ""."""
    try:
        stream = ref.get_object()
        if not isinstance(stream, StreamObject):
            return ""
        data = stream.get_data()
    except LimitReachedError:
        raise
    except READ_ERRORS:
        return ""
    text = data[:2_000_000].decode("utf-8", "replace")
    text = re.sub(r"<[^>]*>", " ", text)
    return re.sub(r"\s+", " ", text).strip()[:100_000]


def _action_types(action: Any, depth: int = 0) -> set[str]:
    """Types of an action and of its /Next chain (bounded)."""
    if depth > 20:
        return set()
    if isinstance(action, IndirectObject):
        action = action.get_object()
    types: set[str] = set()
    if isinstance(action, DictionaryObject):
        if "/S" in action:
            types.add(str(action["/S"]))
        if "/JS" in action:
            types.add("/JavaScript")
        following = action.get("/Next")
        if following is not None:
            following = following.get_object()
            for item in following if isinstance(following, ArrayObject) else [following]:
                types |= _action_types(item, depth + 1)
    return types


def _info(reader: pypdf.PdfReader) -> dict[str, str]:
    """The document info entries with text: the usual ones first, then any custom key (tools
    put e.g. ``/Company`` or ``/SourceModified`` there); dates are left out."""
    try:
        info = reader.metadata
    except READ_ERRORS:
        return {}
    if not info:
        return {}
    values = {}
    keys = [*INFO_KEYS, *(k for k in list(info.keys())[:100] if k not in INFO_KEYS)]
    for key in keys:
        if key in ("/CreationDate", "/ModDate"):
            continue
        try:
            value = _string(info.get(key))
        except READ_ERRORS:
            continue
        if value:
            values[str(key).lstrip("/")] = value[:1000]
    return values


def _xmp(reader: pypdf.PdfReader) -> str:
    """The text content of the XMP packet (tags stripped), or ""."""
    try:
        catalog = reader.trailer["/Root"].get_object()
        stream = catalog.get("/Metadata")
        if stream is None:
            return ""
        stream = stream.get_object()
        if not isinstance(stream, StreamObject):
            return ""
        data = stream.get_data()
    except LimitReachedError:
        raise
    except READ_ERRORS:
        return ""
    text = data[:2_000_000].decode("utf-8", "replace")
    text = re.sub(r"<[^>]*>", " ", text)
    return re.sub(r"\s+", " ", text).strip()[:100_000]


def _bomb() -> Fatal:
    return Fatal(
        "resource_limit",
        "The PDF contains compressed data that expands far beyond a normal paper "
        f"(over {STREAM_LIMIT // 2**20} MB in one stream); it was not processed.",
    )


def _short(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:150]

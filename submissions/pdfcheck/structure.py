"""The pypdf pass: validity, encryption, page count, metadata, actions, and a decompression
budget for every non-image stream, before pdfium (which has no such limits) sees the file."""

import re
from dataclasses import dataclass, field
from typing import Any

import pypdf
from pypdf.errors import FileNotDecryptedError, LimitReachedError, PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

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
        found.warnings.append(
            issue("embedded_file", "The PDF has embedded files; reviewers will not open them.")
        )
    if unreadable:
        found.warnings.append(
            issue("damaged", f"{unreadable} internal object(s) of the PDF could not be read.")
        )


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
    try:
        info = reader.metadata
    except READ_ERRORS:
        return {}
    if not info:
        return {}
    values = {}
    for key in INFO_KEYS:
        try:
            value = info.get(key)
            value = value.get_object() if value is not None else None
        except READ_ERRORS:
            continue
        if value is not None and str(value).strip():
            values[key.lstrip("/")] = str(value).strip()[:1000]
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

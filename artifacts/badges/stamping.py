"""Drawing the awarded badges on a camera-ready's first page, in a child process.

The final PDF is an upload: a hostile or broken file must fail the stamp with a message, never
take the worker down (docs/pdf-checks.md: pdf libraries can inflate bombs or abort under memory
limits, and Celery's time limits do not interrupt C code). So :func:`stamp` does what
``submissions.pdfcheck`` does for checks: the parent only prechecks the header, end marker and
size, then ``python -m artifacts.badges.stamping`` reads the PDF under memory, CPU-time and
file-size limits and a wall-clock timeout, and answers JSON on stdout.

In the child: pypdf (with the pipeline's decompression limits) opens the file (no user
password), finds page 1's visible box and how high its text reaches; WeasyPrint renders an
overlay of that size with the seals (``artifacts.badges.svg``) side by side, right-aligned in
the top margin, about 0.6 in high (smaller when the margin is narrow, so they stay clear of the
text); pypdf merges it onto page 1 only and writes a new file. The source is a copy: the
stored upload is never opened for writing.

No Django here: the child imports this module and must start fast.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import signal
import subprocess
import sys
from typing import Any

from artifacts.badges.svg import HEIGHT, WIDTH
from submissions.pdfcheck.isolate import precheck, run_child

#: Pages beyond this are refused (the PDF pipeline's cap).
PAGE_CAP = 300
#: One stream may not inflate beyond this; the same limit as the PDF checks.
STREAM_LIMIT = 64 * 2**20
#: Seal height, and the least we go down to when the top margin is narrow (points).
SEAL_PT = 0.6 * 72
MIN_SEAL_PT = 0.3 * 72
#: Room kept between the seals and the page edge, between the seals and the text.
EDGE_PT = 0.15 * 72
GAP_PT = 0.1 * 72
#: Right edge of the seal row, from the page's right edge.
RIGHT_PT = 0.75 * 72
#: A seal's width over its height (artifacts.badges.svg), and the room between two seals.
RATIO = WIDTH / HEIGHT
ROW_GAP_PT = 4
#: The output may grow by the overlay (fonts subset, a few KB) beyond the source's size.
OUTPUT_OVERHEAD = 4 * 2**20


def stamp(
    source: str | os.PathLike,
    target: str | os.PathLike,
    badges: list[tuple[str, str]],
    *,
    max_bytes: int | None = None,
    timeout_s: float = 60,
    memory_mb: int = 1536,
    cpu_s: int = 45,
) -> dict[str, Any]:
    """Write ``source`` with the seals of ``badges`` (``(label, colour)`` pairs) on its first
    page to ``target``. Returns ``{"ok": True, "pages", "seal_height_in", "warnings"}`` or
    ``{"ok": False, "message"}`` (a sentence for people); never raises for a bad file. On
    failure ``target`` does not exist."""
    bad = precheck(source, max_bytes)
    if bad is not None:
        return _failed(bad["errors"][0]["message"])
    request = json.dumps(
        {
            "source": os.path.abspath(source),
            "target": os.path.abspath(target),
            "badges": [[str(label), str(colour)] for label, colour in badges],
            "memory_mb": memory_mb,
            "cpu_s": cpu_s,
            "max_bytes": os.path.getsize(source) + OUTPUT_OVERHEAD,
        }
    )
    try:
        done = run_child("artifacts.badges.stamping", request, timeout_s=timeout_s, home=True)
    except subprocess.TimeoutExpired:
        return _discard(target, f"it took longer than {timeout_s:g} seconds")
    if done.returncode < 0:
        number = -done.returncode
        reason = (
            "it needed too much processing time or memory"
            if number in (signal.SIGXCPU, signal.SIGKILL)
            else "it needed too much memory or is malformed"
        )
        return _discard(target, reason)
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        if b"MemoryError" in done.stderr[-2000:]:
            return _discard(target, "it needed too much memory")
        return _discard(target, f"the stamping process stopped (status {done.returncode})")
    if not isinstance(answer, dict) or not answer.get("ok"):
        message = answer.get("message") if isinstance(answer, dict) else None
        _remove(target)
        return _failed(str(message or "The final PDF could not be stamped."))
    return answer


def _failed(message: str) -> dict[str, Any]:
    return {"ok": False, "message": message}


def _remove(path: str | os.PathLike) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def _discard(target: str | os.PathLike, reason: str) -> dict[str, Any]:
    _remove(target)
    return _failed(f"The final PDF could not be stamped ({reason}).")


# --- The child --------------------------------------------------------------------------------


def _limit(memory_mb: int, cpu_s: int, file_bytes: int) -> None:
    memory = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    # Past the size limit a write fails with EFBIG instead of killing the child.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


class Refused(Exception):
    """The PDF cannot be stamped; the message says why, for people."""


def _open(path: str):
    import pypdf
    from pypdf.errors import LimitReachedError

    pypdf.overwrite_configuration(
        zlib_maximum_output_length=STREAM_LIMIT,
        lzw_maximum_output_length=STREAM_LIMIT,
        run_length_maximum_output_length=STREAM_LIMIT,
        brotli_maximum_output_length=STREAM_LIMIT,
        array_based_stream_maximum_output_length=STREAM_LIMIT,
        disable_legacy_handling=True,
    )
    try:
        reader = pypdf.PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Refused("The final PDF is protected with a password; it cannot be stamped.")
        count = len(reader.pages)
    except LimitReachedError as exc:
        raise Refused("The final PDF has a stream that inflates beyond our limits.") from exc
    if count == 0:
        raise Refused("The final PDF has no pages.")
    if count > PAGE_CAP:
        raise Refused(f"The final PDF has {count} pages; at most {PAGE_CAP} can be stamped.")
    return reader


def _text_top(page, box: tuple[float, float, float, float], span: tuple[float, float]):
    """How high page 1's text reaches (points, page space) over the horizontal ``span`` the
    seals take, or None when no text is there. A run's width is estimated (0.55 em a
    character: pypdf gives where a run starts, not where it ends), erring wide."""
    left, bottom, right, top = box
    highest: list[float] = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        # The run's origin in page space (tm then cm), the direction it runs in (rotated
        # content runs up or down) and its rendered size.
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        dx = tm[0] * cm[0] + tm[1] * cm[2]
        dy = tm[0] * cm[1] + tm[1] * cm[3]
        scale = (dx * dx + dy * dy) ** 0.5 or 1.0
        size = (font_size or 10) * scale
        length = len(text.strip()) * (font_size or 10) * 0.55
        x_end, y_end = x + dx * length, y + dy * length
        if not (bottom <= min(y, y_end) and max(y, y_end) <= top + size):
            return
        if max(x, x_end) + size >= span[0] and min(x, x_end) - size <= span[1]:
            highest.append(max(y, y_end) + size * 0.8)

    page.extract_text(visitor_text=visit)
    return max(highest) if highest else None


def _overlay(width: float, height: float, badges: list[list[str]], seal_pt: float, top_pt: float):
    import pypdf
    from weasyprint import HTML  # type: ignore[import-untyped]
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    from artifacts.badges.svg import seal

    row = "".join(seal(label, colour, height=f"{seal_pt:.2f}pt") for label, colour in badges)
    html = (
        "<!doctype html><html><head><style>"
        f"@page {{ size: {width:.2f}pt {height:.2f}pt; margin: 0 }}"
        "html, body { margin: 0; padding: 0; background: transparent }"
        f".row {{ position: absolute; top: {top_pt:.2f}pt; right: {RIGHT_PT:.2f}pt;"
        f" display: flex; gap: {ROW_GAP_PT}pt }}"
        f".row svg {{ display: block; height: {seal_pt:.2f}pt }}"
        f'</style></head><body><div class="row">{row}</div></body></html>'
    )
    # The overlay is self-contained (inline SVG): WeasyPrint fetches no URL of any protocol,
    # so nothing a badge set could smuggle in reads a local file or reaches the network.
    # (WeasyPrint 70 wants a URLFetcher here: a plain function that raises crashes it.)
    fetcher = URLFetcher(allowed_protocols=frozenset())
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf()
    return pypdf.PdfReader(io.BytesIO(pdf)).pages[0]


def run(request: dict[str, Any]) -> dict[str, Any]:
    """Stamp in THIS process (the child, or tests of trusted files)."""
    import pypdf
    from pypdf.errors import FileNotDecryptedError, LimitReachedError, PdfReadError

    # What pypdf raises on a file it cannot make sense of (structure.READ_ERRORS' kind).
    errors: tuple[type[BaseException], ...] = (
        PdfReadError,
        FileNotDecryptedError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        AssertionError,
        ZeroDivisionError,
    )
    warnings: list[str] = []
    try:
        reader = _open(request["source"])
        writer = pypdf.PdfWriter(clone_from=reader)
        first = writer.pages[0]
        if first.rotation % 360:
            # The seals go on top of the page as it is shown.
            first.transfer_rotation_to_content()
        box = first.cropbox
        left, bottom = float(box.left), float(box.bottom)
        width, height = float(box.width), float(box.height)
        if width < 72 or height < 72:
            raise Refused("The final PDF's first page is too small to carry the badges.")
        count = max(1, len(request["badges"]))
        # As large as 0.6 in allows, and the whole row within the page's width.
        seal_pt = min(SEAL_PT, (width - 2 * RIGHT_PT) / (count * RATIO + (count - 1) * 0.1))
        row = count * seal_pt * RATIO + (count - 1) * ROW_GAP_PT
        span = (left + width - RIGHT_PT - row, left + width - RIGHT_PT)
        text_top = _text_top(first, (left, bottom, left + width, bottom + height), span)
        margin = height if text_top is None else bottom + height - text_top
        seal_pt = min(seal_pt, margin - EDGE_PT - GAP_PT)
        if seal_pt < MIN_SEAL_PT:
            seal_pt = MIN_SEAL_PT
            warnings.append("The first page's top margin is narrow: the badges may touch the text.")
        top_pt = max(EDGE_PT, (margin - seal_pt) / 2) if text_top is not None else EDGE_PT * 2
        top_pt = min(top_pt, EDGE_PT * 2)
        overlay = _overlay(width, height, request["badges"], seal_pt, top_pt)
        first.merge_transformed_page(overlay, pypdf.Transformation().translate(left, bottom))
        with open(request["target"], "wb") as handle:
            writer.write(handle)
    except Refused as exc:
        return {"ok": False, "message": str(exc)}
    except LimitReachedError:
        return {"ok": False, "message": "The final PDF has a stream that inflates beyond limits."}
    except MemoryError:
        return {"ok": False, "message": "The final PDF needs too much memory to be stamped."}
    except OSError as exc:
        return {"ok": False, "message": f"The stamped PDF could not be written ({exc.strerror})."}
    except errors as exc:
        return {
            "ok": False,
            "message": f"The final PDF could not be read ({type(exc).__name__}).",
        }
    return {
        "ok": True,
        "pages": len(reader.pages),
        "seal_height_in": round(seal_pt / 72, 2),
        "warnings": warnings,
    }


def main() -> int:
    request = json.loads(sys.stdin.buffer.read())
    _limit(int(request["memory_mb"]), int(request["cpu_s"]), int(request["max_bytes"]))
    answer = run(request)
    if not answer["ok"]:
        _remove(request["target"])
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())

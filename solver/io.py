"""CSV input/output for the standalone solver (the CLI); no database.

Formats (docs/assignment.md): reviewers.csv has a header and ``reviewer,side[,max_load]`` rows;
score and conflict files are header-less ``paper,reviewer,score`` rows; existing assignments are
``paper,reviewer`` rows (an optional ``paper,reviewer`` header is skipped). Every malformed row
raises :class:`CsvError` naming the file and line.

Score and conflict files go through pandas' C parser, which takes quoted cells, a UTF-8 BOM,
CRLF line ends and ``#`` comment lines; the line-by-line csv reader only runs on a file the
fast one refused, to name the bad line.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from solver.problem import SIDE_CODE, AssignmentError, Problem
from solver.sparse import SparseQuality


class CsvError(AssignmentError):
    """Malformed input file; the message starts with ``file:line:``."""


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """``(line number, cells)`` of each record, numbered by the physical line it ends on.

    As on the fast reader: a line whose first non-blank character is ``#`` at the start of a
    record is a comment (a quoted ``"#…"`` cell is data), and a quoted cell may span lines. A
    quote still open at the end of the file is named at the line where it opened."""
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115
    except OSError as exc:
        raise CsvError(f"{path}: can't read: {exc.strerror}") from exc
    record: list[tuple[int, str]] = []  # the physical lines of the record being read

    def lines() -> Iterator[str]:
        for line_no, text in enumerate(handle, start=1):
            if not record and (not text.strip() or text.lstrip().startswith("#")):
                continue
            record.append((line_no, text))
            yield text

    with handle:
        try:
            for row in csv.reader(lines(), skipinitialspace=True):
                first, last = record[0][0], record[-1][0]
                if sum(text.count('"') for _n, text in record) % 2:
                    # Saying so beats "expected paper,reviewer,score, got [...]".
                    raise CsvError(
                        f"{path}:{first}: a quote opened on this line is not closed (the "
                        f"quoted cell runs on to line {last}, the end of the file)"
                    )
                record.clear()
                cells = [c.strip() for c in row]
                if any(cells):
                    yield last, cells
        except (csv.Error, UnicodeDecodeError) as exc:
            raise CsvError(f"{path}: not a readable CSV file: {exc}") from exc


def _number(path: Path, line: int, text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise CsvError(f"{path}:{line}: {what} {text!r} is not a number") from None
    if math.isnan(value) or value == math.inf:
        raise CsvError(f"{path}:{line}: {what} {text!r} must be finite or -inf")
    return value


def read_reviewers(path: Path) -> tuple[list[str], list[str], list[int | None]]:
    """Return reviewer ids, sides and per-reviewer max-load overrides (None = default)."""
    ids: list[str] = []
    sides: list[str] = []
    loads: list[int | None] = []
    seen: set[str] = set()
    for i, (line, cells) in enumerate(_rows(path)):
        if i == 0 and cells[0].lower() in {"reviewer", "id", "reviewer_id"}:
            continue
        if len(cells) not in (2, 3) or not cells[0]:
            raise CsvError(f"{path}:{line}: expected reviewer,side[,max_load], got {cells}")
        side = cells[1].upper()
        if side == "SYS":
            side = "SYSTEMS"
        if side not in SIDE_CODE:
            raise CsvError(f"{path}:{line}: side {cells[1]!r} must be ML, SYSTEMS or BOTH")
        if cells[0] in seen:
            raise CsvError(f"{path}:{line}: reviewer {cells[0]!r} listed twice")
        load = None
        if len(cells) == 3 and cells[2]:
            if not cells[2].isdecimal():  # isdigit() also takes "²", which int() refuses
                raise CsvError(f"{path}:{line}: max_load {cells[2]!r} must be a whole number >= 0")
            load = int(cells[2])
        seen.add(cells[0])
        ids.append(cells[0])
        sides.append(side)
        loads.append(load)
    if not ids:
        raise CsvError(f"{path}: no reviewers")
    return ids, sides, loads


def comment_lines(path: Path, block: int = 1 << 24) -> list[int]:
    """0-based numbers of the records whose first non-blank character is ``#`` (a UTF-8 BOM
    before it allowed), read in blocks so a large file is never held whole.

    Records, not lines: pandas' ``skiprows`` counts records, and a quoted cell may span lines
    (one of which may start with ``#`` and is then no comment). A line break inside quotes is
    one whose count of ``"`` before it is odd (an escaped ``""`` keeps the parity)."""
    found: list[int] = []
    record = 0
    carry = b""
    quoted = False  # whether the next chunk starts inside a quoted cell
    with open(path, "rb") as handle:
        first = True
        while True:
            data = handle.read(block)
            text = carry + data
            if first and text.startswith(b"\xef\xbb\xbf"):
                text = b" " * 3 + text[3:]
            first = False
            cut = len(text) if not data else text.rfind(b"\n") + 1
            chunk, carry = text[:cut], text[cut:]
            if quoted or b'"' in chunk:
                record, quoted = _quoted_comments(chunk, record, quoted, found)
            elif b"#" in chunk:
                last = 0
                for match in _COMMENT.finditer(chunk):
                    record += chunk.count(b"\n", last, match.start())
                    last = match.start()
                    found.append(record)
                record += chunk.count(b"\n", last)
            else:
                record += chunk.count(b"\n")
            if not data:
                return found


def _quoted_comments(chunk: bytes, record: int, quoted: bool, found: list[int]) -> tuple[int, bool]:
    """:func:`comment_lines` on a chunk holding quote characters: appends the comment records
    to ``found``; returns the record number after the chunk and whether it ends inside quotes."""
    buffer = np.frombuffer(chunk, dtype=np.uint8)
    quotes = np.flatnonzero(buffer == ord('"'))
    newlines = np.flatnonzero(buffer == ord("\n"))
    ends = newlines[(np.searchsorted(quotes, newlines) + quoted) % 2 == 0]
    if b"#" in chunk:
        for match in _COMMENT.finditer(chunk):
            if (np.searchsorted(quotes, match.start()) + quoted) % 2 == 0:
                found.append(record + int(np.searchsorted(ends, match.start())))
    return record + len(ends), bool((len(quotes) + quoted) % 2)


_COMMENT = re.compile(rb"^[ \t]*#", re.M)


def _fast_table(
    path: Path, known: dict[str, int], columns: tuple[int, ...]
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray | None] | None:
    """Read ``paper,reviewer[,score]`` rows with pandas' C parser (quoting, a UTF-8 BOM, CRLF,
    comment lines and spaces around cells included). Returns the distinct paper names in file
    order, each row's index into them, each row's reviewer index and the scores (``None``
    without a score column). Paper and reviewer cells become categories, so 10 M rows make
    no 10 M Python strings. ``None`` sends the caller to the line-by-line reader, which names
    the first bad line."""
    try:
        skip = comment_lines(path)
        frame = pd.read_csv(
            path, header=None, dtype={0: "category", 1: "category", 2: "float64"},
            na_filter=False, skipinitialspace=True, skiprows=skip or None, engine="c",
            encoding="utf-8",
        )  # fmt: skip
    except (ValueError, UnicodeDecodeError, OSError):
        return None  # pandas' ParserError and EmptyDataError are ValueErrors
    if frame.shape[1] not in columns:
        return None
    paper_names, paper_codes = _stripped(frame[0])
    rev_names, rev_codes = _stripped(frame[1])
    rev_lookup = np.array([known.get(name, -1) for name in rev_names], dtype=np.int64)
    if "" in paper_names or (rev_lookup < 0).any():
        return None
    scores = None
    if frame.shape[1] == 3:
        scores = frame[2].to_numpy(dtype=np.float64)
        if np.isnan(scores).any() or (scores == np.inf).any():
            return None
    # Papers keep their order of first appearance (it orders the CLI's output).
    first = np.full(len(paper_names), len(paper_codes), dtype=np.int64)
    first[paper_codes[::-1]] = np.arange(len(paper_codes) - 1, -1, -1)
    order = np.argsort(first, kind="stable")
    order = order[first[order] < len(paper_codes)]
    rank = np.empty(len(paper_names), dtype=np.int64)
    rank[order] = np.arange(len(order))
    names = [paper_names[i] for i in order]
    return names, rank[paper_codes], rev_lookup[rev_codes], scores


def _stripped(column: pd.Series) -> tuple[list[str], np.ndarray]:
    """A category column's distinct values with surrounding spaces removed (two spellings
    that strip alike merge) and each row's code into them."""
    cats = [str(c).strip() for c in column.cat.categories]
    unique = list(dict.fromkeys(cats))
    where = {name: i for i, name in enumerate(unique)}
    remap = np.array([where[c] for c in cats], dtype=np.int64)
    codes = column.cat.codes.to_numpy()
    if (codes < 0).any():
        return [""], np.zeros(len(codes), dtype=np.int64)
    return unique, remap[codes] if len(remap) else codes.astype(np.int64)


def _slow_table(
    path: Path, known: dict[str, int], source: Path, *, need_score: bool
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray | None]:
    """The same table from the line-by-line reader; raises :class:`CsvError` on the first bad
    line. Only reached by files the fast reader refused. The file is checked streaming first
    (shapes and numbers, then reviewers), so finding a bad last line of a 10 M-row file holds
    no 10 M rows."""
    for _row in _triples(path, need_score=need_score):
        pass
    _check_reviewers(path, _triples(path, need_score=need_score), known, source)
    rows = read_triples(path, need_score=need_score)
    names = list(dict.fromkeys(row[0] for row in rows))
    where = {name: i for i, name in enumerate(names)}
    papers = np.array([where[row[0]] for row in rows], dtype=np.int64)
    reviewers = np.array([known[row[1]] for row in rows], dtype=np.int64)
    scores = np.array([row[2] for row in rows], dtype=float) if need_score else None
    return names, papers, reviewers, scores


def read_table(
    path: Path, known: dict[str, int], source: Path, *, need_score: bool
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray | None]:
    """``(paper names, row paper index, row reviewer index, scores)`` of a score or conflict
    file: the fast reader when it accepts the file, else the line-by-line one for its error."""
    fast = _fast_table(path, known, (3,) if need_score else (2, 3))
    if fast is not None:
        return fast[0], fast[1], fast[2], fast[3] if need_score else None
    return _slow_table(path, known, source, need_score=need_score)


def _triples(path: Path, *, need_score: bool) -> Iterator[tuple[str, str, float, int]]:
    for line, cells in _rows(path):
        if len(cells) not in ((3,) if need_score else (2, 3)) or not cells[0] or not cells[1]:
            shape = "paper,reviewer,score" if need_score else "paper,reviewer[,score]"
            raise CsvError(f"{path}:{line}: expected {shape}, got {cells}")
        score = _number(path, line, cells[2], "score") if len(cells) == 3 else -1.0
        yield cells[0], cells[1], score, line


def read_triples(path: Path, *, need_score: bool) -> list[tuple[str, str, float, int]]:
    return list(_triples(path, need_score=need_score))


def read_pairs(path: Path) -> list[tuple[str, str, int]]:
    out = []
    for i, (line, cells) in enumerate(_rows(path)):
        if i == 0 and [c.lower() for c in cells[:2]] == ["paper", "reviewer"]:
            continue
        if len(cells) != 2 or not cells[0] or not cells[1]:
            raise CsvError(f"{path}:{line}: expected paper,reviewer, got {cells}")
        out.append((cells[0], cells[1], line))
    return out


def load_problem(
    *,
    scores: Sequence[Path],
    weights: Sequence[float],
    reviewers: Path,
    conflicts: Path | None,
    existing: Path | None,
    k: int,
    min_load: int,
    max_load: int,
    m_ml: int,
    m_sys: int,
    expert_threshold: float | None = None,
    expert_source: int = 0,
) -> Problem:
    """Build a sparse :class:`Problem` from the CLI's files. Quality = Σ weight × score; a pair
    missing from a file scores 0 there (so a pair in no file is an implicit 0); ``-inf`` in any
    file (or a conflict row) forbids the pair. Memory grows with the rows, not with
    papers × reviewers."""
    if len(weights) != len(scores):
        raise AssignmentError(f"{len(weights)} weights given for {len(scores)} score files")
    rev_ids, sides, overrides = read_reviewers(reviewers)
    rev_index = {r: i for i, r in enumerate(rev_ids)}
    n_r = len(rev_ids)
    paper_index: dict[str, int] = {}

    def keys_of(table: tuple) -> np.ndarray:
        names, papers, revs, _scores = table
        local = np.array([paper_index.setdefault(n, len(paper_index)) for n in names], np.int64)
        return local[papers] * n_r + revs

    keys, values, source = [], [], []
    for n, path in enumerate(scores):
        table = read_table(path, rev_index, reviewers, need_score=True)
        keys.append(keys_of(table))
        values.append(table[3])
        source.append(np.full(len(keys[-1]), n, dtype=np.int16))
        del table
    conflict_keys = np.zeros(0, np.int64)
    if conflicts:
        conflict_keys = keys_of(read_table(conflicts, rev_index, reviewers, need_score=False))
    existing_rows = read_pairs(existing) if existing else []
    for paper, reviewer, line in existing_rows:
        if reviewer not in rev_index:
            raise CsvError(f"{existing}:{line}: reviewer {reviewer!r} is not in {reviewers}")
        paper_index.setdefault(paper, len(paper_index))
    n_p = len(paper_index)
    key, value, file = _last_per_file(keys, values, source)
    del keys, values, source
    expert = None
    if expert_threshold is not None:
        mine = file == expert_source
        expert = SparseQuality.build(n_p, n_r, key[mine], value[mine])
    banned = np.concatenate([conflict_keys, key[np.isneginf(value)]])
    value[np.isneginf(value)] = 0.0
    with np.errstate(over="ignore"):
        value *= np.asarray(weights, dtype=np.float64)[file]
        del file
        starts = np.r_[0, np.flatnonzero(key[1:] != key[:-1]) + 1] if len(key) else key
        summed = np.add.reduceat(value, starts) if len(key) else value
    _check_finite(summed, key[starts], list(paper_index), rev_ids)
    quality = SparseQuality.build(n_p, n_r, key[starts], summed, banned)
    loads = np.array([max_load if o is None else o for o in overrides], dtype=np.int64)
    return Problem(
        papers=list(paper_index),
        reviewers=rev_ids,
        sides=sides,
        quality=quality,
        k=k,
        m_ml=m_ml,
        m_sys=m_sys,
        min_load=np.minimum(min_load, loads),
        max_load=loads,
        fixed=[(paper_index[p], rev_index[r]) for p, r, _line in existing_rows],
        expert_scores=expert,
        expert_threshold=expert_threshold,
    )


def _check_finite(summed: np.ndarray, keys: np.ndarray, papers: list[str], reviewers: list[str]):
    """Finite scores times weights can overflow: refuse the first such pair by name rather than
    solve with an infinite quality (or forbid a pair nobody marked ``-inf``)."""
    bad = np.flatnonzero(~np.isfinite(summed))
    if len(bad):
        paper, reviewer = divmod(int(keys[bad[0]]), len(reviewers))
        raise AssignmentError(
            f"{papers[paper]}, {reviewers[reviewer]}: the weighted scores sum beyond a float's "
            f"range ({len(bad)} pair(s)); scale the scores or --weights down"
        )


def _last_per_file(
    keys: list[np.ndarray], values: list[np.ndarray], source: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every file's rows sorted by pair, one row per pair and file (its last one in the file),
    with one stable sort over all files instead of one per file and one more to merge."""
    key = np.concatenate(keys)
    order = np.argsort(key, kind="stable")
    key = key[order]
    value = np.concatenate(values)[order]
    file = np.concatenate(source)[order]
    del order
    last = np.ones(len(key), dtype=bool)
    last[:-1] = (key[1:] != key[:-1]) | (file[1:] != file[:-1])
    return key[last], value[last], file[last]


def _check_reviewers(path: Path, rows: Iterable, known: dict[str, int], source: Path) -> None:
    for _paper, reviewer, _score, line in rows:
        if reviewer not in known:
            raise CsvError(f"{path}:{line}: reviewer {reviewer!r} is not in {source}")


def write_assignment(path: Path, pairs: Sequence[tuple[str, str]]) -> None:
    """``paper,reviewer`` rows, readable again as ``--existing``: a row whose paper starts with
    ``#`` is written quoted, so the reader takes it as data, not as a comment line."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        plain = csv.writer(handle)
        quoted = csv.writer(handle, quoting=csv.QUOTE_ALL)
        plain.writerow(["paper", "reviewer"])
        for paper, reviewer in pairs:
            (quoted if paper.startswith("#") else plain).writerow([paper, reviewer])

"""CSV input/output for the standalone solver (the CLI); no database.

Formats (docs/assignment.md): reviewers.csv has a header and ``reviewer,side[,max_load]`` rows;
score and conflict files are header-less ``paper,reviewer,score`` rows; existing assignments are
``paper,reviewer`` rows (an optional ``paper,reviewer`` header is skipped). Every malformed row
raises :class:`CsvError` naming the file and line.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from solver.problem import SIDE_CODE, AssignmentError, Problem


class CsvError(AssignmentError):
    """Malformed input file; the message starts with ``file:line:``."""


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115
    except OSError as exc:
        raise CsvError(f"{path}: can't read: {exc.strerror}") from exc
    with handle:
        try:
            for line_no, row in enumerate(csv.reader(handle), start=1):
                cells = [c.strip() for c in row]
                if not any(cells) or cells[0].startswith("#"):
                    continue
                yield line_no, cells
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
            if not cells[2].isdigit():
                raise CsvError(f"{path}:{line}: max_load {cells[2]!r} must be a whole number >= 0")
            load = int(cells[2])
        seen.add(cells[0])
        ids.append(cells[0])
        sides.append(side)
        loads.append(load)
    if not ids:
        raise CsvError(f"{path}: no reviewers")
    return ids, sides, loads


def _fast_triples(path: Path, known: dict[str, int]) -> tuple | None:
    """pandas' C parser for large well-formed score files; ``None`` sends the caller to the
    line-by-line reader, which names the first bad line (and handles quoting and comments)."""
    try:
        raw = path.read_bytes()
        if b"#" in raw or b'"' in raw:
            return None
        del raw
        frame = pd.read_csv(
            path, header=None, dtype={0: str, 1: str, 2: "float64"}, keep_default_na=False,
            skipinitialspace=True, encoding="utf-8-sig", engine="c",
        )  # fmt: skip
    except (ValueError, UnicodeDecodeError, OSError):
        return None  # pandas' ParserError and EmptyDataError are ValueErrors
    if frame.shape[1] != 3:
        return None
    papers, reviewers = frame[0], frame[1]
    scores = frame[2].to_numpy(dtype=float)
    if (
        np.isnan(scores).any()
        or (scores == np.inf).any()
        or (papers == "").any()
        or not reviewers.isin(list(known)).all()
    ):
        return None
    return papers.tolist(), reviewers.map(known).to_numpy(dtype=np.int64), scores


def read_triples(path: Path, *, need_score: bool) -> list[tuple[str, str, float, int]]:
    out = []
    for line, cells in _rows(path):
        if len(cells) not in ((3,) if need_score else (2, 3)) or not cells[0] or not cells[1]:
            shape = "paper,reviewer,score" if need_score else "paper,reviewer[,score]"
            raise CsvError(f"{path}:{line}: expected {shape}, got {cells}")
        score = _number(path, line, cells[2], "score") if len(cells) == 3 else -1.0
        out.append((cells[0], cells[1], score, line))
    return out


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
    """Build a :class:`Problem` from the CLI's files. Quality = Σ weight × score; a pair missing
    from a file scores 0 there; ``-inf`` in any file (or a conflict row) forbids the pair."""
    if len(weights) != len(scores):
        raise AssignmentError(f"{len(weights)} weights given for {len(scores)} score files")
    rev_ids, sides, overrides = read_reviewers(reviewers)
    rev_index = {r: i for i, r in enumerate(rev_ids)}
    conflict_rows = read_triples(conflicts, need_score=False) if conflicts else []
    existing_rows = read_pairs(existing) if existing else []
    paper_index: dict[str, int] = {}
    tables = []
    for path in scores:
        fast = _fast_triples(path, rev_index)
        if fast is None:
            rows = read_triples(path, need_score=True)
            _check_reviewers(path, rows, rev_index, reviewers)
            names = [row[0] for row in rows]
            rev = np.array([rev_index[row[1]] for row in rows], dtype=np.int64)
            fast = (names, rev, np.array([row[2] for row in rows], dtype=float))
        names, rev, values = fast
        for name in dict.fromkeys(names):
            paper_index.setdefault(name, len(paper_index))
        tables.append((names, rev, values))
    if conflicts:
        _check_reviewers(conflicts, conflict_rows, rev_index, reviewers)
    for paper, _reviewer, _score, _line in conflict_rows:
        paper_index.setdefault(paper, len(paper_index))
    for paper, reviewer, line in existing_rows:
        if reviewer not in rev_index:
            raise CsvError(f"{existing}:{line}: reviewer {reviewer!r} is not in {reviewers}")
        paper_index.setdefault(paper, len(paper_index))
    shape = (len(paper_index), len(rev_ids))
    quality = np.zeros(shape)
    forbidden = np.zeros(shape, dtype=bool)
    expert = np.zeros(shape) if expert_threshold is not None else None
    for n, (weight, (names, rev, values)) in enumerate(zip(weights, tables, strict=True)):
        matrix = np.zeros(shape)
        rows_idx = np.array([paper_index[name] for name in names], dtype=np.int64)
        matrix[rows_idx, rev] = values  # a repeated pair: numpy assigns in order, last row wins
        forbidden |= np.isneginf(matrix)
        quality += weight * np.where(np.isneginf(matrix), 0.0, matrix)
        if expert is not None and n == expert_source:
            expert = matrix
    for paper, reviewer, _score, _line in conflict_rows:
        forbidden[paper_index[paper], rev_index[reviewer]] = True
    quality[forbidden] = -np.inf
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


def _check_reviewers(path: Path, rows: list, known: dict[str, int], source: Path) -> None:
    for _paper, reviewer, _score, line in rows:
        if reviewer not in known:
            raise CsvError(f"{path}:{line}: reviewer {reviewer!r} is not in {source}")


def write_assignment(path: Path, pairs: Sequence[tuple[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["paper", "reviewer"])
        writer.writerows(pairs)

"""The CLI's score files: awkward but valid CSV takes the fast reader; bad lines are named."""

from pathlib import Path

import numpy as np
import pytest

from solver import Problem, solve
from solver import io as solver_io
from solver.io import CsvError, comment_lines, load_problem
from solver.problem import AssignmentError

REVIEWERS = "reviewer,side,max_load\nR1,ML,\nR2,SYSTEMS,\nR 3,BOTH,\nR4,ML,\n"


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def _load(folder: Path, scores: list[Path], conflicts: Path | None = None, **kwargs):
    return load_problem(
        scores=scores, weights=kwargs.pop("weights", [1.0] * len(scores)),
        reviewers=_write(folder, "reviewers.csv", REVIEWERS), conflicts=conflicts,
        existing=None, k=2, min_load=0, max_load=5, m_ml=1, m_sys=1, **kwargs,
    )  # fmt: skip


@pytest.fixture
def no_slow_reader(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("the line-by-line reader was used")

    monkeypatch.setattr(solver_io, "read_triples", refuse)
    monkeypatch.setattr(solver_io, "_slow_table", refuse)


AWKWARD = (
    b"\xef\xbb\xbf# paper,reviewer,score\r\n"
    b'"Paper, the sequel","R1",0.5\r\n'
    b'"P#2" , "R 3" , "0.25"\r\n'
    b"\r\n"
    b"  # an indented comment, with commas\r\n"
    b"P#3,R2,-inf\r\n"
    b'P4 ,R2,1e-1\r\n"Paper, the sequel",R4,0.75\r\n'
)


def test_quoted_bom_crlf_and_comment_lines_take_the_fast_reader(tmp_path, no_slow_reader):
    scores = _write(tmp_path, "scores.csv", AWKWARD)
    conflicts = _write(tmp_path, "conflicts.csv", b'\xef\xbb\xbf"P5",R1\r\n# none\r\nP4,"R4"\r\n')
    problem = _load(tmp_path, [scores], conflicts)
    assert problem.papers == ["Paper, the sequel", "P#2", "P#3", "P4", "P5"]
    dense = problem.quality.to_dense()
    assert dense[0].tolist() == [0.5, 0, 0, 0.75]
    assert dense[1].tolist() == [0, 0, 0.25, 0]
    assert dense[2].tolist() == [0, -np.inf, 0, 0]
    assert dense[3].tolist() == [0, 0.1, 0, -np.inf]
    assert dense[4].tolist() == [-np.inf, 0, 0, 0]  # P5: no score at all, implicit zeros


def test_weighted_files_sum_and_a_repeated_pair_keeps_its_last_value(tmp_path, no_slow_reader):
    first = _write(tmp_path, "a.csv", "P1,R1,0.5\nP1,R1,0.9\nP2,R2,0.2\n")
    second = _write(tmp_path, "b.csv", '"P2","R2",1\r\n"P1","R2",-inf\r\n')
    problem = _load(tmp_path, [first, second], weights=[1.0, 0.5])
    assert problem.quality.to_dense()[:, :2].tolist() == [[0.9, -np.inf], [0, 0.7]]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (AWKWARD.replace(b"1e-1", b"high"), "bad.csv:7: score 'high' is not a number"),
        (AWKWARD.replace(b'"P#2" ,', b"P#2,x,"), "bad.csv:3: expected paper,reviewer,score"),
        (AWKWARD.replace(b"R4,0.75", b"zed,0.75"), "bad.csv:8: reviewer 'zed' is not in"),
        (AWKWARD.replace(b"-inf", b"nan"), "bad.csv:6: score 'nan' must be finite or -inf"),
        (b'\xef\xbb\xbfP1,R1,0.5\r\n"",R1,0.5\r\n', "bad.csv:2: expected paper,reviewer,score"),
        (b'P1,R1,0.5\r\nP2,"R1,0.5\r\nP3,R2,0.5\r\n', "bad.csv:2: a quote opened on this line"),
        (b'P1,R1,0.9\n"Title\nmore",R2,0.5\nP3,R4,high\n', "bad.csv:4: score 'high'"),
    ],
)
def test_malformed_awkward_files_still_name_the_line(tmp_path, content, message):
    with pytest.raises(CsvError, match=message):
        _load(tmp_path, [_write(tmp_path, "bad.csv", content)])


@pytest.mark.parametrize("score", ["1e308", "-1e308"])
def test_weighted_scores_summing_past_a_float_are_refused_naming_the_pair(tmp_path, score):
    """Finite scores whose weighted sum overflows must not become an infinite quality (or,
    negative, a silently forbidden pair)."""
    first = _write(tmp_path, "a.csv", f"P1,R1,0.5\nP2,R2,{score}\n")
    second = _write(tmp_path, "b.csv", f"P2,R2,{score}\n")
    with pytest.raises(AssignmentError, match="P2, R2: the weighted scores sum beyond"):
        _load(tmp_path, [first, second])


def test_comment_lines_are_found_across_read_blocks(tmp_path):
    lines = [f"P{i},R1,0.5" if i % 7 else f"# comment {i}" for i in range(200)]
    path = _write(tmp_path, "s.csv", "\r\n".join(lines) + "\r\n")
    assert solver_io.comment_lines(path, block=64) == list(range(0, 200, 7))


@pytest.mark.parametrize("block", [1 << 24, 8])
def test_a_quoted_cell_over_lines_is_one_row_and_its_hash_line_no_comment(
    tmp_path, block, monkeypatch, no_slow_reader
):
    """pandas skips rows by record, and a quoted paper title may span lines, one starting with
    "#": no score row may be lost or shifted."""
    content = (
        'P1,R1,0.9\n"Title\n# not a comment, ""quoted""\nend",R2,0.5\n'
        "# a real comment\n\nP3,R4,0.1\n"
    )
    path = _write(tmp_path, "s.csv", content)
    monkeypatch.setattr(solver_io, "comment_lines", lambda p: comment_lines(p, block=block))
    problem = _load(tmp_path, [path])
    title = 'Title\n# not a comment, "quoted"\nend'
    assert problem.papers == ["P1", title, "P3"]
    assert problem.quality.to_dense().tolist() == [[0.9, 0, 0, 0], [0, 0.5, 0, 0], [0, 0, 0, 0.1]]


def test_cli_files_solve_like_the_dense_problem_they_describe(tmp_path, no_slow_reader):
    rng = np.random.default_rng(11)
    n_p, n_r = 9, 4
    q = np.round(rng.random((n_p, n_r)), 3)
    q[rng.random((n_p, n_r)) < 0.5] = 0
    q[np.arange(n_p), np.arange(n_p) % n_r] = 0.5
    q[3] = 0  # P3 is only in the conflicts file
    names = ["R1", "R2", "R 3", "R4"]
    lines = [f'"P{p}","{names[r]}",{q[p, r]}' for p, r in zip(*np.nonzero(q), strict=True)]
    lines.insert(0, "# only nonzero scores")
    scores = _write(tmp_path, "s.csv", b"\xef\xbb\xbf" + "\r\n".join(lines).encode())
    conflicts = _write(tmp_path, "c.csv", "P3,R1\nP5,R2\n")
    problem = _load(tmp_path, [scores], conflicts)
    order = [problem.papers.index(f"P{p}") for p in range(n_p)]
    q[3, 0] = q[5, 1] = -np.inf
    dense = Problem(
        papers=[f"P{p}" for p in range(n_p)], reviewers=names,
        sides=["ML", "SYSTEMS", "BOTH", "ML"], quality=q, k=2, m_ml=1, m_sys=1,
        min_load=np.zeros(n_r, np.int64), max_load=np.full(n_r, 5),
    )  # fmt: skip
    assert problem.quality.to_dense()[order].tolist() == q.tolist()
    got, want = solve(problem).report, solve(dense).report
    assert got.objective == pytest.approx(want.objective, abs=1e-9)
    assert got.lp_bound == pytest.approx(want.lp_bound, abs=1e-6)


def test_an_assignment_written_out_reads_back_as_kept_pairs_with_hash_names(tmp_path):
    path = tmp_path / "out.csv"
    solver_io.write_assignment(path, [("#p4", "Ada, L."), ("p5", "#bob")])

    assert path.read_text().splitlines() == [
        "paper,reviewer",
        '"#p4","Ada, L."',
        "p5,#bob",
    ]
    assert solver_io.read_pairs(path) == [("#p4", "Ada, L.", 2), ("p5", "#bob", 3)]


def test_quoted_hash_cells_are_data_on_the_line_reader_too(tmp_path):
    path = _write(tmp_path, "r.csv", 'reviewer,side\n# a comment\n  # another\n"#r1",ML\n')
    ids, sides, _loads = solver_io.read_reviewers(path)
    assert (ids, sides) == (["#r1"], ["ML"])

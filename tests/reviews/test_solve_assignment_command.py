"""``manage.py solve_assignment`` end to end on temporary CSV files (no database)."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]


def _args(tmp_path, *extra):
    return [
        "--scores", str(DATA / "solver_affinity.csv"),
        "--scores", str(DATA / "solver_bids.csv"),
        "--weights", "1,0.5",
        "--conflicts", str(DATA / "solver_conflicts.csv"),
        "--reviewers", str(DATA / "solver_reviewers.csv"),
        "--papers-per-reviewer", "0,2",
        "--reviewers-per-paper", "2",
        "--min-per-side", "ML=1,SYSTEMS=1",
        "--out", str(tmp_path / "out.csv"),
        *extra,
    ]  # fmt: skip


def _read_pairs(path):
    rows = list(csv.reader(path.read_text().splitlines()))
    assert rows[0] == ["paper", "reviewer"]
    return {tuple(r) for r in rows[1:]}


def test_command_writes_optimal_assignment_and_stats(tmp_path, capsys):
    call_command("solve_assignment", *_args(tmp_path, "--json", str(tmp_path / "s.json")))
    pairs = _read_pairs(tmp_path / "out.csv")
    # 4.6 is the brute-force optimum of these files (tests/reviews/test_solver.py enumerates).
    assert len(pairs) == 6
    assert ("p1", "ana") not in pairs and ("p2", "ed") not in pairs
    assert sum(1 for _, r in pairs if r == "di") <= 1
    stats = json.loads((tmp_path / "s.json").read_text())
    assert stats["assignments"] == 6
    assert stats["violations"] == []
    assert stats["papers_both_sides_covered"] == 3
    assert stats["gap"] < 1e-9
    assert stats["objective"] == pytest.approx(4.6)
    out = capsys.readouterr().out
    assert "wrote 6 assignments" in out and "load histogram" in out


def test_existing_pairs_are_kept(tmp_path):
    existing = tmp_path / "existing.csv"
    existing.write_text("paper,reviewer\np2,di\n")
    call_command("solve_assignment", *_args(tmp_path, "--existing", str(existing)))
    pairs = _read_pairs(tmp_path / "out.csv")
    assert ("p2", "di") in pairs and len(pairs) == 6


def test_min_score_threshold_uses_mip(tmp_path, capsys):
    call_command("solve_assignment", *_args(tmp_path, "--min-score-threshold", "0.8"))
    pairs = _read_pairs(tmp_path / "out.csv")
    assert "HiGHS MIP" in capsys.readouterr().out
    rows = csv.reader((DATA / "solver_affinity.csv").read_text().splitlines())
    scores = {(p, r): float(s) for p, r, s in rows}
    for paper in ("p1", "p2", "p3"):
        assert any(scores[(p, r)] >= 0.8 for p, r in pairs if p == paper)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("p1,ana\n", "bad.csv:1: expected paper,reviewer,score"),
        ("p1,ana,0.5\np2,bo,high\n", "bad.csv:2: score 'high' is not a number"),
        ("p1,zed,0.5\n", "bad.csv:1: reviewer 'zed' is not in"),
        ("p1,ana,nan\n", "bad.csv:1: score 'nan' must be finite or -inf"),
    ],
)
def test_malformed_scores_name_file_and_line(tmp_path, content, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(content)
    args = _args(tmp_path)
    args[args.index(str(DATA / "solver_bids.csv"))] = str(bad)
    with pytest.raises(CommandError) as info:
        call_command("solve_assignment", *args)
    assert info.value.returncode == 2
    assert message in str(info.value)
    assert not (tmp_path / "out.csv").exists()


def test_malformed_reviewer_side(tmp_path):
    bad = tmp_path / "rev.csv"
    bad.write_text("reviewer,side\nana,ML\nbo,THEORY\n")
    args = _args(tmp_path)
    args[args.index(str(DATA / "solver_reviewers.csv"))] = str(bad)
    with pytest.raises(CommandError, match=r"rev.csv:3: side 'THEORY'") as info:
        call_command("solve_assignment", *args)
    assert info.value.returncode == 2


@pytest.mark.parametrize("load", ["²", "-1", "2.5"])
def test_malformed_reviewer_max_load(tmp_path, load):
    bad = tmp_path / "rev.csv"
    bad.write_text(f"reviewer,side,max_load\nana,ML,\nbo,ML,{load}\n", encoding="utf-8")
    args = _args(tmp_path)
    args[args.index(str(DATA / "solver_reviewers.csv"))] = str(bad)
    with pytest.raises(CommandError, match=r"rev.csv:3: max_load .* must be a whole") as info:
        call_command("solve_assignment", *args)
    assert info.value.returncode == 2
    assert not (tmp_path / "out.csv").exists()


def test_bad_weights_count(tmp_path):
    args = _args(tmp_path)
    args[args.index("1,0.5")] = "1"
    with pytest.raises(CommandError, match="1 value\\(s\\) for 2") as info:
        call_command("solve_assignment", *args)
    assert info.value.returncode == 2


def test_infeasible_exits_1_with_reason_on_stderr(tmp_path):
    args = _args(tmp_path)
    args[args.index("0,2")] = "0,1"
    result = subprocess.run(
        [sys.executable, "manage.py", "solve_assignment", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": "sqlite:////nonexistent/dir/db.sqlite3",
            "SECRET_KEY": "cli-test-key",
            "MLSYS_IGNORE_DOTENV": "1",
        },
    )
    assert result.returncode == 1
    assert "infeasible: total reviewer capacity 5 is below the demand 6" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_subprocess_success_without_database(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "solve_assignment", *_args(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": "sqlite:////nonexistent/dir/db.sqlite3",
            "SECRET_KEY": "cli-test-key",
            "MLSYS_IGNORE_DOTENV": "1",
        },
    )
    assert result.returncode == 0, result.stderr
    assert "objective: 4.600000" in result.stdout
    assert len(_read_pairs(tmp_path / "out.csv")) == 6

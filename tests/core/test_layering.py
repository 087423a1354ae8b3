"""The apps' layering (pyproject.toml, [tool.importlinter]): core, accounts and mail import no
app above them, conferences no domain app, submissions not reviews, reviews not artifacts, and
nothing imports the demo. `make lint` runs the same check."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def test_every_import_contract_is_kept():
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"Contracts: [1-9]\d* kept, 0 broken\.", result.stdout)
    assert "Nothing imports the demo KEPT" in result.stdout


def test_make_lint_runs_the_import_contracts():
    lint = (ROOT / "Makefile").read_text().split("\nlint:", 1)[1].split("\n\n", 1)[0]

    assert "$(VENV)/bin/lint-imports" in lint

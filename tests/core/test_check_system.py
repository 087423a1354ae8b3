"""bin/check-system requires the font the PDF fixtures and demo papers are set in."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check_system(tmp_path: Path, fonts: str) -> subprocess.CompletedProcess:
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    fc_list = fake_bin / "fc-list"
    fc_list.write_text(f"#!/bin/sh\ncat <<'FONTS'\n{fonts}FONTS\n")
    fc_list.chmod(0o755)
    env = {**os.environ, "PATH": f"{fake_bin}:{os.environ['PATH']}"}
    return subprocess.run(
        [str(ROOT / "bin" / "check-system")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_dejavu_alone_is_not_enough(tmp_path):
    result = run_check_system(
        tmp_path, "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf: DejaVu Serif:style=Book\n"
    )

    assert result.returncode == 1
    assert (
        "The Liberation Serif font (demo papers and test PDFs are set in it) is missing: "
        "apt-get install -y fonts-liberation2"
    ) in result.stdout


def test_liberation_serif_satisfies_the_font_check(tmp_path):
    result = run_check_system(
        tmp_path,
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf: "
        "Liberation Serif:style=Regular\n",
    )

    assert "Liberation Serif" not in result.stdout
    assert result.returncode == 0, result.stdout

"""Start-up cost: the web app and the worker must not import the solver's or the affinity
computation's heavy libraries until a solve or an affinity run needs them (docs/benchmarks.md)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("scipy.optimize", "ortools", "sklearn", "torch", "sentence_transformers", "transformers")
# Every task, by the name beat schedules and queued messages use: autodiscovery must find them.
TASK_NAMES = {
    "mail.send_outbound",
    "mail.sweep_outbox",
    "conferences.remind_invitations",
    "submissions.process_file",
    "submissions.recheck_track",
    "submissions.recompute_conflicts",
    "reviews.compute_affinities",
    "reviews.solve_assignment",
    "reviews.remind_bidders",
    "reviews.remind_reviewers",
    "decisions.render_letter",
    "decisions.build_letter_archive",
    "decisions.prepare_letters",
    "decisions.release_decisions",
    "decisions.build_proceedings",
}

PROBE = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mlsys.settings")
import django
django.setup()
{body}
roots = ("scipy", "ortools", "sklearn", "torch", "sentence_transformers", "transformers")
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in roots)))
"""


def loaded_modules(body: str) -> list[str]:
    env = {**os.environ, "DEBUG": "1", "SECRET_KEY": "startup-import-probe"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(body=body)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def heavy(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(
            "from django.urls import get_resolver\nget_resolver().url_patterns", id="urlconf"
        ),
        pytest.param(
            "import mlsys.celery\nmlsys.celery.app.loader.import_default_modules()\n"
            f"missing = {TASK_NAMES!r} - set(mlsys.celery.app.tasks)\n"
            "assert not missing, missing",
            id="celery",
        ),
    ],
)
def test_web_and_worker_start_without_the_solver_libraries(body):
    assert heavy(loaded_modules(body)) == []


def test_listing_the_affinity_backends_imports_no_model_library():
    """The chairs' page lists the backends (with the embedding extra installed or not); only a
    run loads scikit-learn or torch."""
    body = "from reviews.affinity.backends import choices\nprint(choices())"
    assert heavy(loaded_modules(body)) == []


def test_a_solve_does_import_them():
    """The probe can see the libraries: the same check turns red once a solve ran."""
    body = (
        "import numpy as np\n"
        "from solver import ML, SYSTEMS, Problem, solve\n"
        "solve(Problem(papers=['p'], reviewers=['a', 'b'], sides=[ML, SYSTEMS],\n"
        "              quality=np.ones((1, 2)), k=2))"
    )
    assert "ortools" in {m.split(".")[0] for m in loaded_modules(body)}


def test_the_solver_library_needs_no_django_and_no_project_app():
    """solver/ is a plain library: reviews (and later artifacts) import it, never the reverse."""
    code = (
        "import json, sys\n"
        "import solver, solver.io, solver.report\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    roots = set(json.loads(out.stdout))
    assert "solver" in roots
    assert not roots & {"django", "mlsys", "reviews", "submissions", "artifacts", "celery"}

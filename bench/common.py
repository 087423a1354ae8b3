"""What the Django benchmarks share: a throwaway database and their section of
docs/benchmarks.md.

``throwaway_database()`` points Django at a temporary SQLite file by default, or at a
``test_``-prefixed copy created through Django's test utilities when ``DATABASE_URL`` points at
PostgreSQL (the configured database itself is never written), migrates it and drops it again.
``replace_section()`` replaces a benchmark's ``## …`` section of the docs page (or appends it).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "docs" / "benchmarks.md"


def configure(tmpdir: str) -> bool:
    """Point Django at a throwaway database; True when it is a test copy of DATABASE_URL."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mlsys.settings")
    os.environ["MLSYS_TESTING"] = "1"
    os.environ.setdefault("MLSYS_TEST_MEDIA", str(Path(tmpdir) / "media"))
    use_test_copy = bool(os.environ.get("DATABASE_URL", "").strip())
    if not use_test_copy:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmpdir) / 'bench.sqlite3'}"
    import django

    django.setup()
    return use_test_copy


@contextmanager
def throwaway_database() -> Iterator[None]:
    """Within the block Django works on a migrated throwaway database (see the module)."""
    with tempfile.TemporaryDirectory(prefix="mlsys-bench-") as tmpdir:
        use_test_copy = configure(tmpdir)
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import setup_test_environment

        setup_test_environment()
        old_name = None
        if use_test_copy:
            old_name = connection.settings_dict["NAME"]
            connection.creation.create_test_db(verbosity=0, autoclobber=True)
        else:
            call_command("migrate", verbosity=0, interactive=False)
        try:
            yield
        finally:
            if use_test_copy:
                connection.creation.destroy_test_db(old_name, verbosity=0)


def replace_section(title: str, section: str, path: Path = BENCHMARKS) -> None:
    """Replace the section headed ``title`` in ``path`` with ``section`` (or append it)."""
    text = path.read_text() if path.exists() else "# Benchmarks\n\n"
    start = text.find(title + "\n")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(title))
        text = text[:start] + section.rstrip("\n") + "\n" + ("" if end == -1 else text[end:])
    path.write_text(text.rstrip("\n") + "\n")


#: The made-up papers' vocabulary (titles, abstracts, summaries).
WORDS = str.split(
    "we present a compiler that schedules tensor programs across accelerators while the runtime "
    "overlaps communication with computation and the training throughput improves by a large "
    "factor on clusters of graphics processors our evaluation covers language models "
    "recommendation models and vision transformers under realistic memory budgets"
)


def words(rng, n: int) -> str:
    """``n`` random words of :data:`WORDS`, capitalised."""
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def bulk_accepted_papers(conference, n: int, rng, *, abstract_words: int) -> list:
    """``n`` accepted papers numbered 1…n, every fifth in the conference's second track, with
    made-up titles and abstracts (bulk-created, no authors: see :func:`bulk_authors`)."""
    from submissions.models import Submission

    tracks = list(conference.tracks.all())
    return Submission.objects.bulk_create(
        [
            Submission(
                conference=conference,
                track=tracks[i % 5 == 0],
                number=i + 1,
                title=words(rng, 9),
                abstract=words(rng, abstract_words) + ".",
                status="accepted",
            )
            for i in range(n)
        ],
        batch_size=2000,
    )


def bulk_authors(submissions, *, per_paper: int = 3, domain: str = "u") -> None:
    """``per_paper`` authors on each of ``submissions`` (bulk-created), with addresses at 300
    made-up universities (``a<n>-<k>@<domain><i>.edu``)."""
    from submissions.models import Author

    Author.objects.bulk_create(
        [
            Author(
                submission=s,
                order=k,
                name=f"Author {s.number}-{k}",
                email=f"a{s.number}-{k}@{domain}{(s.number + k) % 300}.edu",
                affiliation=f"University {(s.number + k) % 300}",
            )
            for s in submissions
            for k in range(per_paper)
        ],
        batch_size=2000,
    )

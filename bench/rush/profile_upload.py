"""Where an upload request's time goes, without the crowd: ``python -m bench.rush.profile_upload``.

Run with the stack's environment (``make bench-rush`` prints nothing of this; run it by hand
with DATABASE_URL pointing at a migrated database, e.g. the rush's template copy). Seeds a
small conference with :mod:`bench.rush.db`, then, in this process, through Django's test
client (the whole middleware stack, the real storage, PostgreSQL and the broker), times
``--repeat`` paper uploads and the page their redirect opens: wall and CPU time per request,
the number of SQL queries, and a cProfile of the upload POST (top functions by cumulative
time). Logins are made with ``force_login``: their cost is PBKDF2's, measured separately.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--slug", default="profile")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.rush.authors import author_pdf, base_pdf
    from bench.rush.db import seed
    from mlsys.accounts.models import User

    pdf = base_pdf()
    manifest = seed(args.repeat, args.slug, "unused")
    started = time.perf_counter()
    make_password("one login's worth of PBKDF2")
    print(f"one password hash: {time.perf_counter() - started:.3f} s")
    rows = {"upload": [], "redirect": []}
    profile = cProfile.Profile()
    for index, author in enumerate(manifest["authors"]):
        client = Client(REMOTE_ADDR="127.0.0.1")
        client.force_login(User.objects.get(email=author["email"]))
        detail = f"/c/{args.slug}/submissions/{author['number']}/"
        client.get(detail)
        upload = io.BytesIO(author_pdf(pdf, index))
        upload.name = "rush-paper.pdf"
        for name, call in (
            ("upload", partial(client.post, detail + "upload/paper/", {"file": upload})),
            ("redirect", partial(client.get, detail)),
        ):
            wall, cpu = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as queries:
                if name == "upload" and index >= 2:  # the first two warm up
                    profile.enable()
                response = call()
                profile.disable()
            rows[name].append((time.perf_counter() - wall, time.process_time() - cpu, len(queries)))
            assert response.status_code == (302 if name == "upload" else 200), response
    for name, values in rows.items():
        steady = values[2:] or values
        print(
            f"{name:8} wall median {statistics.median(v[0] for v in steady) * 1000:.0f} ms, "
            f"CPU median {statistics.median(v[1] for v in steady) * 1000:.0f} ms, "
            f"queries {sorted({v[2] for v in steady})}"
        )
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())

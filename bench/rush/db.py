"""Seeding and verification, run inside Django with the stack's environment:

    python -m bench.rush.db seed --authors N --slug SLUG --password PW   → JSON manifest
    python -m bench.rush.db verify --slug SLUG                            → JSON state

``seed`` builds a conference in its submission phase (the test factories' schedule) with N
submitted papers, each with one author who has an account with a verified address. Every
account gets the same password hash, computed once with the production hasher, so seeding
500 authors takes a second instead of two minutes of PBKDF2. ``verify`` reports, per paper,
every stored paper version (sha256 and check status) and the author's address, plus the
outbox's rows by status: the benchmark compares them with what the server acknowledged.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ABSTRACT = "We measure what a conference system does when every author uploads at once."


def seed(authors: int, slug: str, password: str) -> dict:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.db.models import OuterRef, Subquery

    from bench.common import bulk_authors
    from mlsys.accounts.models import User
    from submissions import enums
    from submissions.models import Author, Submission
    from tests.factories import conference_in_submission_phase

    with transaction.atomic():
        conference = conference_in_submission_phase(
            slug=slug, name=f"Rush {slug}", short_name=slug.upper()
        )
        track = conference.tracks.get(slug="research")
        papers = Submission.objects.bulk_create(
            [
                Submission(
                    conference=conference,
                    track=track,
                    number=number,
                    title=f"Rush paper {number}",
                    abstract=ABSTRACT,
                    status=enums.Status.SUBMITTED,
                )
                for number in range(1, authors + 1)
            ]
        )
        bulk_authors(papers, per_paper=1, domain=slug)
        rows = list(
            Author.objects.filter(submission__conference=conference).values_list(
                "submission__number", "email", "name"
            )
        )
        hashed = make_password(password)  # once: the production hasher, copied to every account
        users = User.objects.bulk_create(
            [User(email=email, name=name, password=hashed) for _, email, name in rows]
        )
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
        )
        Author.objects.filter(submission__conference=conference).update(
            is_contact=True,
            user=Subquery(User.objects.filter(email=OuterRef("email")).values("pk")[:1]),
        )
    return {
        "conference": slug,
        "authors": [{"number": n, "email": e} for n, e, _ in sorted(rows)],
    }


def verify(slug: str) -> dict:
    from django.db.models import Count

    from mlsys.mail.models import OutboundEmail
    from submissions import enums
    from submissions.models import Author, SubmissionFile

    papers: dict[int, dict] = {}
    for number, email in Author.objects.filter(submission__conference__slug=slug).values_list(
        "submission__number", "email"
    ):
        papers[number] = {"email": email.lower(), "files": []}
    files = SubmissionFile.objects.filter(
        submission__conference__slug=slug, kind=enums.FileKind.PAPER
    ).values_list("submission__number", "sha256", "check_status", "size")
    for number, sha256, status, size in files:
        papers[number]["files"].append({"sha256": sha256, "status": status, "size": size})
    outbox = dict(
        OutboundEmail.objects.filter(conference__slug=slug)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {"papers": {str(k): v for k, v in papers.items()}, "outbox": outbox}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["seed", "verify"])
    parser.add_argument("--slug", required=True)
    parser.add_argument("--authors", type=int, default=0)
    parser.add_argument("--password", default="")
    args = parser.parse_args()
    import django

    django.setup()
    if args.action == "seed":
        result = seed(args.authors, args.slug, args.password)
    else:
        result = verify(args.slug)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

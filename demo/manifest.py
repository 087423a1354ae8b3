"""The demo's manifest (accounts, passwords, phase, papers, conflicts, assignments), read back
from the database so that ``seed_demo --if-empty`` can rewrite it, and the accounts worth
printing."""

from collections import defaultdict
from typing import Any

from demo.build import demo_accounts
from demo.plan import PASSWORD
from mlsys.accounts.models import User
from mlsys.conferences import enums
from mlsys.conferences.models import CommitteeMembership, Conference
from reviews.models import Assignment
from submissions import enums as sub_enums
from submissions.models import Conflict, Submission


def read(conference: Conference) -> dict[str, Any]:
    """The documented manifest, read from the database (so ``--if-empty`` can rewrite it)."""
    roles: dict[int, list[str]] = defaultdict(list)
    sides: dict[int, str] = {}
    users: dict[int, User] = {}
    rank = {enums.Role.PROGRAM_CHAIR: 0, enums.Role.AE_CHAIR: 1, enums.Role.PC_MEMBER: 2}
    memberships = CommitteeMembership.objects.filter(conference=conference).select_related("user")
    for m in sorted(memberships, key=lambda m: (rank.get(m.role, 3), m.side, m.user.name)):
        users.setdefault(m.user_id, m.user)
        roles[m.user_id].append(m.role)
        if m.side:
            sides[m.user_id] = m.side
    submissions = list(
        Submission.objects.filter(conference=conference)
        .select_related("track")
        .prefetch_related("authors__user")
        .order_by("number")
    )
    authoring = [a.user for sub in submissions for a in sub.authors.all() if a.user is not None]
    author_ids = {user.pk for user in authoring}
    # Author accounts without a paper yet come last.
    for user in [*authoring, *demo_accounts(conference).order_by("name", "email")]:
        users.setdefault(user.pk, user)
        if "author" not in roles[user.pk] and (user.pk in author_ids or not roles[user.pk]):
            roles[user.pk].append("author")
    conflicted: dict[int, set[str]] = defaultdict(set)
    for sub_id, email in Conflict.objects.filter(
        submission__conference=conference, state__in=sub_enums.EFFECTIVE
    ).values_list("submission_id", "user__email"):
        conflicted[sub_id].add(email)
    assigned: dict[int, list[int]] = defaultdict(list)
    reviewers: dict[int, list[str]] = defaultdict(list)
    for uid, email, sub_id, number in (
        Assignment.objects.live()
        .filter(conference=conference)
        .order_by("submission__number", "reviewer__email")
        .values_list("reviewer_id", "reviewer__email", "submission_id", "submission__number")
    ):
        assigned[uid].append(number)
        reviewers[sub_id].append(email)
    return {
        "conference": conference.slug,
        "phase": conference.current_phase,
        "accounts": [
            {
                "name": user.name,
                "email": user.email,
                "password": PASSWORD,
                "roles": roles[uid],
                "side": sides.get(uid, ""),
                "assigned": assigned.get(uid, []),
            }
            for uid, user in users.items()
        ],
        "submissions": [
            {
                "number": sub.number,
                "title": sub.title,
                "track": sub.track.slug,
                "status": sub.status,
                "anonymous": sub.track.is_anonymous,
                "authors": [{"name": a.name, "email": a.email} for a in sub.authors.all()],
                "conflicted_accounts": sorted(conflicted[sub.pk]),
                "reviewers": reviewers.get(sub.pk, []),
            }
            for sub in submissions
        ],
    }


def key_accounts(doc: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(what, email, password) for the accounts worth printing: chair, AE chair, one PC member
    per side (with how many papers they review), and an author."""
    wanted = [
        ("Program chair", lambda a: enums.Role.PROGRAM_CHAIR in a["roles"]),
        ("AE chair", lambda a: enums.Role.AE_CHAIR in a["roles"]),
        ("PC member (ML)", lambda a: a["side"] == enums.Side.ML),
        ("PC member (Systems)", lambda a: a["side"] == enums.Side.SYSTEMS),
        ("Author", lambda a: a["roles"] == ["author"]),
    ]
    rows = []
    for label, test in wanted:
        match = next((a for a in doc["accounts"] if test(a)), None)
        if match is not None:
            count = len(match["assigned"])
            if count:
                label = f"{label}, {count} paper{'s' if count > 1 else ''} to review"
            rows.append((label, f"{match['name']} <{match['email']}>", match["password"]))
    return rows

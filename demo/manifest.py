"""The demo's manifest (accounts, passwords, phase, papers, conflicts, assignments), read back
from the database so that ``seed_demo --if-empty`` can rewrite it, and the accounts worth
printing."""

from collections import defaultdict
from typing import Any

from artifacts.models import Artifact, EvaluatorAssignment
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
    rank = {
        enums.Role.PROGRAM_CHAIR: 0,
        enums.Role.AE_CHAIR: 1,
        enums.Role.PC_MEMBER: 2,
        enums.Role.AE_EVALUATOR: 3,
    }
    memberships = CommitteeMembership.objects.filter(conference=conference).select_related("user")
    for m in sorted(memberships, key=lambda m: (rank.get(m.role, 4), m.side, m.user.name)):
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
    artifacts = dict(
        Artifact.objects.filter(conference=conference).values_list("submission_id", "status")
    )
    evaluates: dict[int, list[int]] = defaultdict(list)
    for uid, number in (
        EvaluatorAssignment.objects.live()
        .filter(artifact__conference=conference)
        .order_by("artifact__submission__number")
        .values_list("evaluator_id", "artifact__submission__number")
    ):
        evaluates[uid].append(number)
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
                "evaluates": evaluates.get(uid, []),
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
                "artifact": artifacts.get(sub.pk),
            }
            for sub in submissions
        ],
    }


def key_accounts(doc: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(what, email, password) for the accounts worth printing: chair, AE chair, one PC member
    per side (with how many papers they review), an author, an AE evaluator (with how many
    artifacts they evaluate) and, once decisions are out, an author of an accepted paper without
    an artifact (who can still register one)."""
    waiting = {
        author["email"]
        for sub in doc["submissions"]
        if sub["status"] == sub_enums.Status.ACCEPTED and not sub.get("artifact")
        for author in sub["authors"]
    }
    with_artifact = {
        author["email"]
        for sub in doc["submissions"]
        if sub.get("artifact")
        for author in sub["authors"]
    }
    wanted = [
        ("Program chair", lambda a: enums.Role.PROGRAM_CHAIR in a["roles"]),
        ("AE chair", lambda a: enums.Role.AE_CHAIR in a["roles"]),
        ("PC member (ML)", lambda a: a["side"] == enums.Side.ML),
        ("PC member (Systems)", lambda a: a["side"] == enums.Side.SYSTEMS),
        ("Author", lambda a: a["roles"] == ["author"]),
        ("AE evaluator", lambda a: bool(a.get("evaluates"))),
        (
            "Author of an accepted paper without an artifact",
            lambda a: (
                a["roles"] == ["author"]
                and a["email"] in waiting
                and a["email"] not in with_artifact
            ),
        ),
    ]
    rows = []
    for label, test in wanted:
        match = next((a for a in doc["accounts"] if test(a)), None)
        if match is not None:
            count = len(match["assigned"])
            if count:
                label = f"{label}, {count} paper{'s' if count > 1 else ''} to review"
            evaluates = len(match.get("evaluates", []))
            if evaluates:
                label = f"{label}, {evaluates} artifact{'s' if evaluates > 1 else ''} to evaluate"
            rows.append((label, f"{match['name']} <{match['email']}>", match["password"]))
    return rows

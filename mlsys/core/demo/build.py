"""Write a demo plan into the database, upload its PDFs through the real pipeline, play the
committee's part of the year up to the requested phase (reviewing.py), and read the manifest
(accounts, passwords, phase, papers, conflicts, assignments) back from the database.

Submissions, authors and memberships are written with the ORM in bulk rather than through the
submission services: those services queue co-author notices and receipts, which a demo must not
send. Files do go through ``submissions.pipeline.store_file``, so every PDF is checked exactly as
an author's upload would be.
"""

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mlsys.accounts.models import AffiliationHistory, Collaborator, User
from mlsys.conferences import enums
from mlsys.conferences.models import (
    AOE,
    CommitteeMembership,
    Conference,
    Deadline,
    Topic,
    Track,
)
from mlsys.core import audit
from mlsys.core.demo import data, pdfs, reviewing, schedule
from mlsys.core.demo.plan import (
    CONFERENCE_SLUG,
    INDUSTRY,
    MAIL_DOMAIN,
    MAX_TOPICS,
    PAGE_LIMITS,
    PASSWORD,
    RESEARCH,
    Plan,
)
from reviews.models import Assignment
from submissions import enums as sub_enums
from submissions.models import Author, Conflict, Submission, SubmissionFile

REVIEWS_PER_PAPER = 3


def demo_conference() -> Conference | None:
    return Conference.objects.filter(slug=CONFERENCE_SLUG).first()


def build(
    plan: Plan,
    *,
    phase: str = schedule.DEFAULT_PHASE,
    now: datetime | None = None,
    processes: int = 2,
) -> Conference:
    """Create the demo conference of ``plan`` in ``phase``: writes the rows in one transaction
    (the clock in the submission phase), then stores each PDF (rendered meanwhile in a pool) in
    its own transaction so that the pipeline's check runs on commit, recomputes the detected
    conflicts, and plays the committee's part up to ``phase`` (see reviewing.play).

    Raises reviewing.DemoError if a step of the committee's part fails."""
    now = now or timezone.now()
    final = schedule.deadlines(phase, now)
    specs = [p.spec for p in plan.papers if p.spec is not None]
    # Rendering overlaps the database work and the pipeline's checks of earlier papers.
    with pdfs.rendering(specs, processes=processes) as rendered:
        with transaction.atomic():
            conference = _conference(now)
            tracks = _tracks(conference)
            topics = _topics(conference)
            users = _people(plan, now)
            _committee(conference, plan, users, now)
            submissions = _submissions(conference, plan, tracks, topics, users, now)
        _upload(plan, submissions, users, rendered)
    # Papers were submitted before the deadline of the phase the demo ends in.
    _set_statuses(plan, submissions, min(now, final[enums.DeadlineKind.SUBMISSION]))
    _recompute_conflicts(conference)
    reviewing.play(conference, plan, phase=phase, now=now)
    audit.record(
        "core.demo_seeded",
        target=conference,
        note=(
            f"Demo conference seeded with seed {plan.seed}: {len(plan.papers)} papers, "
            f"{phase} phase."
        ),
    )
    return conference


def _conference(now: datetime) -> Conference:
    conference = Conference.objects.create(
        slug=CONFERENCE_SLUG,
        name="MLSys 2027",
        short_name="MLSys 2027",
        description=(
            "The Conference on Machine Learning and Systems targets research at the "
            "intersection of machine learning and systems. Every paper is reviewed by both ML "
            "and Systems experts. (Demo data: every person and institution is fictional.)"
        ),
        website="https://mlsys2027.example.org",
        timezone=AOE,
        contact_email="chair@mlsys2027.example.org",
        submission_grace_minutes=15,
    )
    Deadline.objects.bulk_create(
        Deadline(conference=conference, kind=kind, at=at)
        for kind, at in schedule.deadlines(schedule.SUBMISSION, now).items()
    )
    return conference


def _tracks(conference: Conference) -> dict[str, Track]:
    common = {
        "conference": conference,
        "paper_size": enums.PaperSize.LETTER,
        "min_font_size": 9,
        "columns": 2,
        "references_count": False,
        "reviewers_per_paper": REVIEWS_PER_PAPER,
        "min_ml_reviewers": 1,
        "min_systems_reviewers": 1,
        "min_topics": 1,
    }
    research = Track.objects.create(
        name="Research",
        slug=RESEARCH,
        order=0,
        description="Full research papers. Double-blind: anonymize names, emails and "
        "affiliations. 10 pages of main text, references excluded, two-column US Letter.",
        anonymity=enums.Anonymity.DOUBLE_BLIND,
        page_limit=PAGE_LIMITS[RESEARCH],
        max_topics=MAX_TOPICS[RESEARCH],
        **common,
    )
    industry = Track.objects.create(
        name="Industry",
        slug=INDUSTRY,
        order=1,
        description="Experience papers on ML systems in production. Author names are hidden; "
        "company names may stay. 6 pages, references excluded.",
        anonymity=enums.Anonymity.NAMES_HIDDEN,
        page_limit=PAGE_LIMITS[INDUSTRY],
        max_topics=MAX_TOPICS[INDUSTRY],
        **common,
    )
    return {RESEARCH: research, INDUSTRY: industry}


def _topics(conference: Conference) -> dict[str, Topic]:
    rows = [
        Topic(conference=conference, name=name, area=area, order=i)
        for area, items in (
            (enums.Area.ML, data.ML_TOPICS),
            (enums.Area.SYSTEMS, data.SYSTEMS_TOPICS),
        )
        for i, (name, _) in enumerate(items)
    ]
    return {t.name: t for t in Topic.objects.bulk_create(rows)}


def _people(plan: Plan, now: datetime) -> dict[str, User]:
    """Every account of the plan, by email, with verified addresses and affiliation history."""
    people = [plan.chair, plan.ae_chair, *(p for p, _ in plan.pc), *plan.authors]
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(email=p.email, name=p.name, affiliation=p.institution.name, password=password)
        for p in people
    )
    by_email = {u.email: u for u in users}
    addresses, history = [], []
    for person in people:
        user = by_email[person.email]
        addresses.append(EmailAddress(user=user, email=person.email, verified=True, primary=True))
        for other in plan.extra_emails.get(person.email, []):
            addresses.append(EmailAddress(user=user, email=other, verified=True, primary=False))
        history.append(
            AffiliationHistory(
                user=user, institution=person.institution.name, start_year=now.year - 3
            )
        )
        for institution, start, end in person.past:
            history.append(
                AffiliationHistory(
                    user=user, institution=institution, start_year=start, end_year=end
                )
            )
    EmailAddress.objects.bulk_create(addresses)
    AffiliationHistory.objects.bulk_create(history)
    Collaborator.objects.bulk_create(
        Collaborator(
            user=by_email[member], name=name, email=email, relation=Collaborator.Relation.COAUTHOR
        )
        for member, name, email in plan.collaborators
    )
    return by_email


def _committee(conference: Conference, plan: Plan, users: dict[str, User], now: datetime) -> None:
    accepted = {
        "conference": conference,
        "status": enums.InvitationStatus.ACCEPTED,
        "invited_at": now - timedelta(days=60),
        "responded_at": now - timedelta(days=55),
    }
    rows = [
        CommitteeMembership(
            user=users[plan.chair.email], role=enums.Role.PROGRAM_CHAIR, **accepted
        ),
        CommitteeMembership(user=users[plan.ae_chair.email], role=enums.Role.AE_CHAIR, **accepted),
    ]
    low, high = _loads(plan)
    rows += [
        CommitteeMembership(
            user=users[person.email],
            role=enums.Role.PC_MEMBER,
            side=side,
            min_load=low,
            max_load=high,
            **accepted,
        )
        for person, side in plan.pc
    ]
    CommitteeMembership.objects.bulk_create(rows)


def _loads(plan: Plan) -> tuple[int, int]:
    """(min, max) papers per PC member, as chairs set them: about two either side of an even
    share of the reviews, so the assignment spreads the work (4–8 in the default demo)."""
    submitted = sum(p.status == sub_enums.Status.SUBMITTED for p in plan.papers)
    share = round(submitted * REVIEWS_PER_PAPER / max(1, len(plan.pc)))
    return max(0, share - 2), max(8, share + 2)


def _submissions(conference, plan, tracks, topics, users, now) -> dict[int, Submission]:
    # Drafts until their PDFs are checked (see _set_statuses), like a real author's paper.
    rows = [
        Submission(
            conference=conference,
            track=tracks[paper.track],
            number=paper.number,
            title=paper.title,
            abstract=paper.abstract,
            status=sub_enums.Status.DRAFT,
            created_by=users[paper.authors[0].email],
        )
        for paper in plan.papers
    ]
    by_number = {s.number: s for s in Submission.objects.bulk_create(rows)}
    authors, links, conflicts = [], [], []
    through = Submission.topics.through
    for paper in plan.papers:
        sub = by_number[paper.number]
        for order, person in enumerate(paper.authors):
            authors.append(
                Author(
                    submission=sub,
                    order=order,
                    name=person.name,
                    email=person.email,
                    affiliation=person.institution.name,
                    user=users[person.email],
                    is_contact=order == 0,
                )
            )
        links += [through(submission=sub, topic=topics[name]) for name in paper.topics]
        conflicts += [
            Conflict(
                submission=sub,
                user=users[email],
                source=sub_enums.ConflictSource.AUTHOR_DECLARED,
                reason=reason,
                detail=evidence,
            )
            for email, reason, evidence in paper.declared
        ]
    Author.objects.bulk_create(authors)
    through.objects.bulk_create(links)
    Conflict.objects.bulk_create(conflicts)
    return by_number


def _upload(plan: Plan, submissions: dict[int, Submission], users, rendered) -> None:
    from submissions import pipeline

    for paper in plan.papers:
        if paper.spec is None:
            continue
        pdf = next(rendered)
        # One transaction per paper: its check runs when this block commits.
        with transaction.atomic():
            pipeline.store_file(
                submission=submissions[paper.number],
                kind=sub_enums.FileKind.PAPER,
                name=f"{paper.title[:60].replace(':', '').replace(' ', '_')}.pdf",
                data_or_file=pdf,
                uploaded_by=users[paper.authors[0].email],
            )


def _set_statuses(plan: Plan, submissions: dict[int, Submission], before: datetime) -> None:
    """Submit and withdraw the planned papers, at times spread over the days ``before``. Done
    after the checks so that the pipeline's "new PDF" receipts, meant for authors of submitted
    papers, are not sent for demo data."""
    changed = []
    for paper in plan.papers:
        if paper.status == sub_enums.Status.DRAFT:
            continue
        sub = submissions[paper.number]
        sub.status = paper.status
        sub.submitted_at = before - timedelta(hours=paper.number * 5)
        if paper.status == sub_enums.Status.WITHDRAWN:
            sub.status_reason = (
                "The results did not hold up after we fixed a bug in the evaluation harness."
            )
        changed.append(sub)
    Submission.objects.bulk_update(changed, ["status", "submitted_at", "status_reason"])


def _recompute_conflicts(conference: Conference) -> None:
    from submissions.conflicts import recompute_conflicts

    recompute_conflicts(conference)


def demo_users():
    """Accounts the demo creates: every demo address is at a reserved ``.example`` domain."""
    domains = [MAIL_DOMAIN, *(i.domain for i in data.INSTITUTIONS)]
    match = Q()
    for domain in domains:
        match |= Q(email__iendswith=f"@{domain}")
    return User.objects.filter(match, is_superuser=False, is_staff=False)


def reset() -> int:
    """Delete the demo conference, its stored files and the demo accounts.

    Returns the number of accounts deleted. Superusers, staff and demo accounts that someone
    made a member or author of another conference are kept. Stored files are deleted only once
    the deletion has committed.
    """
    conference = demo_conference()
    with transaction.atomic():
        if conference is not None:
            names = list(
                SubmissionFile.objects.filter(submission__conference=conference).values_list(
                    "file", flat=True
                )
            )
            # Submissions protect their tracks, so they go first.
            Submission.objects.filter(conference=conference).delete()
            conference.delete()
            transaction.on_commit(lambda: _delete_files(names))
        kept = set(CommitteeMembership.objects.values_list("user_id", flat=True)) | set(
            Author.objects.filter(user__isnull=False).values_list("user_id", flat=True)
        )
        deleted = demo_users().exclude(pk__in=kept).delete()[1].get(User._meta.label, 0)
    return deleted


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        if name:
            default_storage.delete(name)


def manifest(conference: Conference) -> dict[str, Any]:
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
    for user in [*authoring, *demo_users().order_by("name", "email")]:
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

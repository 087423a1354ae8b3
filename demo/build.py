"""Write a demo plan into the database, upload its PDFs through the real pipeline, play the
committee's part of the year up to the requested phase (reviewing.py), and read the manifest
(accounts, passwords, phase, papers, conflicts, assignments) back from the database.

Submissions, authors and memberships are written with the ORM in bulk rather than through the
submission services: those services queue co-author notices and receipts, which a demo must not
send. Files do go through ``submissions.pipeline.store_file``, so every PDF is checked exactly as
an author's upload would be. Every row is stamped with the moment of the year it belongs to (the
demo clock, clock.py), and the accounts created are recorded so that ``reset`` deletes those
and nothing else.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from artifacts.models import StampedPaper
from demo import clock, data, pdfs, reviewing, schedule
from demo.plan import (
    CONFERENCE_SLUG,
    INDUSTRY,
    MAIL_DOMAIN,
    MAX_TOPICS,
    PAGE_LIMITS,
    PASSWORD,
    RESEARCH,
    Plan,
)
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
from mlsys.core.models import AuditEvent
from submissions import enums as sub_enums
from submissions import pipeline
from submissions.conflicts import recompute_conflicts
from submissions.models import Author, Conflict, Submission, SubmissionFile

REVIEWS_PER_PAPER = 3
#: The audit action listing the accounts the demo created (see reset).
DEMO_ACCOUNTS = "core.demo_accounts_created"


def demo_conference() -> Conference | None:
    return Conference.objects.filter(slug=CONFERENCE_SLUG).first()


@dataclass
class PaperTimes:
    """When the authors of a paper registered it, uploaded its PDF, submitted and withdrew it."""

    registered: datetime
    uploaded: datetime | None = None
    submitted: datetime | None = None
    withdrawn: datetime | None = None

    @property
    def last(self) -> datetime:
        return max(t for t in (self.registered, self.uploaded, self.submitted, self.withdrawn) if t)


def build(
    plan: Plan,
    *,
    phase: str = schedule.DEFAULT_PHASE,
    now: datetime | None = None,
    processes: int = 2,
    progress: Callable[[str], None] | None = None,
) -> Conference:
    """Create the demo conference of ``plan`` in ``phase``: writes the rows in one transaction,
    then stores each PDF (rendered meanwhile in a pool) in its own transaction so that the
    pipeline's check runs on commit, submits the papers, recomputes the detected conflicts, and
    plays the committee's part up to ``phase`` (see reviewing.play). Each step runs on the demo
    clock at the moment of the year it belongs to (see schedule.Year); ``progress`` is told
    what each step did.

    Raises reviewing.DemoError if an account of the plan exists already or a step of the
    committee's part fails."""
    now = now or timezone.now()
    report = progress or (lambda message: None)
    year = schedule.Year(phase, now)
    times = paper_times(plan, year)
    taken = sorted(
        User.objects.filter(email__in=[p.email for p in _everyone(plan, phase)]).values_list(
            "email", flat=True
        )
    )
    if taken:
        raise reviewing.DemoError(
            f"{len(taken)} account(s) of the demo exist already but were not created by it "
            f"(e.g. {taken[0]}); delete them or seed with another --seed."
        )
    specs = [p.spec for p in plan.papers if p.spec is not None]
    # Rendering overlaps the database work and the pipeline's checks of earlier papers.
    with pdfs.rendering(specs, processes=processes) as rendered:
        with clock.at(year.opened), transaction.atomic():
            conference = _conference(year)
            tracks = _tracks(conference)
            topics = _topics(conference)
            users = _people(plan, year)
            _committee(conference, plan, users, year)
            submissions = _submissions(conference, plan, tracks, topics, users, times)
            _record_accounts(conference, users.values())
        report(
            f"Wrote the conference, {len(users)} accounts, {len(plan.pc) + 2} committee "
            f"members and {len(submissions)} registered papers."
        )
        _upload(plan, submissions, users, rendered, times, report)
    _set_statuses(plan, submissions, users, times)
    with clock.at(year.conflicts):
        conflicts = _recompute_conflicts(conference)
    submitted = sum(t.submitted is not None for t in times.values())
    withdrawn = sum(t.withdrawn is not None for t in times.values())
    report(
        f"Submitted {submitted} papers ({withdrawn} since withdrawn); "
        f"{conflicts} effective conflicts detected or declared."
    )
    reviewing.play(conference, plan, phase=phase, now=now, progress=report)
    audit.record(
        "core.demo_seeded",
        target=conference,
        note=(
            f"Demo conference seeded with seed {plan.seed}: {len(plan.papers)} papers, "
            f"{phase} phase."
        ),
    )
    return conference


def paper_times(plan: Plan, year: schedule.Year) -> dict[int, PaperTimes]:
    """Each paper's history, by number: registered before the registration deadline (more of
    them near it), its PDF uploaded later, submitted after the upload and before the submission
    deadline; the withdrawn paper was withdrawn after it was submitted."""
    rng = random.Random(f"mlsys-demo-times-{plan.seed}")
    start, end = year.registration
    last = year.submission_end
    times = {}
    for paper in plan.papers:
        t = PaperTimes(registered=year.fraction(start, end, rng.random() ** 0.5))
        if paper.spec is not None:
            t.uploaded = year.fraction(t.registered, last, rng.uniform(0.3, 0.9))
            if paper.status != sub_enums.Status.DRAFT:
                t.submitted = year.fraction(t.uploaded, last, rng.uniform(0.2, 1.0))
                if paper.status == sub_enums.Status.WITHDRAWN:
                    t.withdrawn = year.fraction(t.submitted, last, 0.5)
        times[paper.number] = t
    return times


def _everyone(plan: Plan, phase: str) -> list:
    """The people with an account; the AE evaluators only once the artifact evaluation runs."""
    evaluators = plan.evaluators if phase == schedule.ARTIFACTS else []
    return [plan.chair, plan.ae_chair, *(p for p, _ in plan.pc), *plan.authors, *evaluators]


def _conference(year: schedule.Year) -> Conference:
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
        Deadline(conference=conference, kind=kind, at=at) for kind, at in year.deadlines.items()
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


def _people(plan: Plan, year: schedule.Year) -> dict[str, User]:
    """Every account of the plan, by email, with verified addresses and affiliation history.
    The accounts were opened before the conference (in earlier years of the site)."""
    rng = random.Random(f"mlsys-demo-accounts-{plan.seed}")
    people = _everyone(plan, year.phase)
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(
            email=p.email,
            name=p.name,
            affiliation=p.institution.name,
            password=password,
            date_joined=year.opened - timedelta(days=rng.randint(10, 700), hours=rng.random()),
        )
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
                user=user, institution=person.institution.name, start_year=year.opened.year - 3
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


def _committee(
    conference: Conference, plan: Plan, users: dict[str, User], year: schedule.Year
) -> None:
    """The chairs and the PC, invited the day after the conference opened; each accepted within
    a few days."""
    rng = random.Random(f"mlsys-demo-invitations-{plan.seed}")

    def accepted() -> dict:
        return {
            "conference": conference,
            "status": enums.InvitationStatus.ACCEPTED,
            "invited_at": year.invited,
            "responded_at": year.invited + timedelta(hours=rng.uniform(1, 96)),
        }

    rows = [
        CommitteeMembership(
            user=users[plan.chair.email], role=enums.Role.PROGRAM_CHAIR, **accepted()
        ),
        CommitteeMembership(
            user=users[plan.ae_chair.email], role=enums.Role.AE_CHAIR, **accepted()
        ),
    ]
    low, high = _loads(plan)
    rows += [
        CommitteeMembership(
            user=users[person.email],
            role=enums.Role.PC_MEMBER,
            side=side,
            min_load=low,
            max_load=high,
            **accepted(),
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


def _submissions(conference, plan, tracks, topics, users, times) -> dict[int, Submission]:
    """The papers as their authors registered them (at their ``times``), with authors, topics
    and declared conflicts. Drafts until their PDFs are checked (see _set_statuses), like a real
    author's paper."""
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
    through.objects.bulk_create(links)
    # Written in bulk, stamped with when each paper was registered.
    registered = {sub.pk: times[number].registered for number, sub in by_number.items()}
    for model, rows_of_model in (
        (Submission, by_number.values()),
        (Author, Author.objects.bulk_create(authors)),
        (Conflict, Conflict.objects.bulk_create(conflicts)),
    ):
        for row in rows_of_model:
            row.created_at = row.updated_at = registered[getattr(row, "submission_id", row.pk)]
        model.objects.bulk_update(rows_of_model, ["created_at", "updated_at"])
    for paper in plan.papers:
        sub = by_number[paper.number]
        with clock.at(sub.created_at):
            audit.record("submissions.created", actor=sub.created_by, target=sub)
    return by_number


def _record_accounts(conference: Conference, users) -> None:
    """Remember which accounts the demo created (only those are deleted by ``reset``)."""
    audit.record(
        DEMO_ACCOUNTS,
        target=conference,
        changes={"accounts": [None, sorted([u.pk, u.email] for u in users)]},
        note="Accounts created by seed_demo; seed_demo --reset deletes them.",
    )


def _upload(plan: Plan, submissions, users, rendered, times, report) -> None:
    papers = [p for p in plan.papers if p.spec is not None]
    for done, paper in enumerate(papers, start=1):
        pdf = next(rendered)
        sub = submissions[paper.number]
        # One transaction per paper: its check runs when this block commits, at upload time.
        with clock.at(times[paper.number].uploaded), transaction.atomic():
            author = users[paper.authors[0].email]
            stored = pipeline.store_file(
                submission=sub,
                kind=sub_enums.FileKind.PAPER,
                name=f"{paper.title[:60].replace(':', '').replace(' ', '_')}.pdf",
                data_or_file=pdf,
                uploaded_by=author,
            )
            audit.record(
                f"submissions.{sub_enums.FileKind.PAPER}_uploaded",
                actor=author,
                target=stored,
                conference=sub.conference,
                changes={"sha256": [None, stored.sha256], "size": [None, stored.size]},
            )
        if done % 10 == 0 or done == len(papers):
            report(f"Rendered, uploaded and checked {done} of {len(papers)} PDFs.")


def _set_statuses(plan: Plan, submissions, users, times) -> None:
    """Submit and withdraw the planned papers at their ``times``, with the audit rows the status
    service writes. Done after the checks, without the service, so that the pipeline's "new
    PDF" receipts and the status receipts, meant for real authors, are not sent."""
    changed = []
    for paper in plan.papers:
        t = times[paper.number]
        if t.submitted is None:
            continue
        sub = submissions[paper.number]
        author = users[paper.authors[0].email]
        sub.status = sub_enums.Status.SUBMITTED
        sub.submitted_at = t.submitted
        with clock.at(t.submitted):
            audit.record(
                f"submissions.status.{sub.status}",
                actor=author,
                target=sub,
                changes={"status": [sub_enums.Status.DRAFT, sub.status]},
            )
        if t.withdrawn is not None:
            sub.status = sub_enums.Status.WITHDRAWN
            sub.status_reason = (
                "The results did not hold up after we fixed a bug in the evaluation harness."
            )
            with clock.at(t.withdrawn):
                audit.record(
                    f"submissions.status.{sub.status}",
                    actor=author,
                    target=sub,
                    changes={"status": [sub_enums.Status.SUBMITTED, sub.status]},
                    note=sub.status_reason,
                )
        sub.updated_at = t.last
        changed.append(sub)
    Submission.objects.bulk_update(
        changed, ["status", "submitted_at", "status_reason", "updated_at"]
    )


def _recompute_conflicts(conference: Conference) -> int:
    """Run the conflict detector; returns the effective conflicts of the conference."""
    recompute_conflicts(conference)
    return Conflict.objects.filter(
        submission__conference=conference, state__in=sub_enums.EFFECTIVE
    ).count()


def demo_accounts(conference: Conference | None):
    """The accounts the demo created for ``conference``, as recorded when it was seeded.

    A demo seeded before the record existed has none; its accounts are then recognised as the
    ones at a demo address (a reserved ``.example`` domain) opened in the same minutes as the
    conference. Superusers and staff are never demo accounts."""
    if conference is None:
        return User.objects.none()
    record = AuditEvent.objects.filter(conference=conference, action=DEMO_ACCOUNTS).first()
    people = User.objects.filter(is_superuser=False, is_staff=False)
    if record is not None:
        recorded = dict(record.changes["accounts"][1])
        same = [
            pk
            for pk, email in people.filter(pk__in=recorded).values_list("pk", "email")
            if email == recorded[pk]
        ]
        return people.filter(pk__in=same)
    domains = [MAIL_DOMAIN, *(i.domain for i in data.INSTITUTIONS)]
    match = Q()
    for domain in domains:
        match |= Q(email__iendswith=f"@{domain}")
    seeded = conference.created_at
    return people.filter(
        match,
        date_joined__gte=seeded - timedelta(minutes=1),
        date_joined__lte=seeded + timedelta(minutes=10),
    )


@dataclass
class Reset:
    """What ``reset`` deleted (counts read from the database) and kept."""

    conference: bool = False
    submissions: int = 0
    files: int = 0
    accounts: int = 0
    #: Demo accounts kept because someone made them a member or author of another conference.
    kept: int = 0


def reset() -> Reset:
    """Delete the demo conference, its stored files and the accounts the demo created for it.

    Accounts the demo did not create (signed up on the site, made by an admin) are never
    touched, whatever their address; superusers, staff and demo accounts that someone made a
    member or author of another conference are kept too. Stored files are deleted only once
    the deletion has committed.
    """
    done = Reset()
    conference = demo_conference()
    if conference is None:
        return done
    with transaction.atomic():
        accounts = list(demo_accounts(conference).values_list("pk", flat=True))
        files = SubmissionFile.objects.filter(submission__conference=conference)
        names = [n for row in files.values_list("file", "review_copy") for n in row if n]
        # Stamped camera-readies go with their papers; their files are deleted here too.
        stamped = StampedPaper.objects.filter(submission__conference=conference)
        names += [n for n in stamped.values_list("file", flat=True) if n]
        done.conference = True
        done.files = files.count()
        # Submissions protect their tracks, so they go first.
        deleted = Submission.objects.filter(conference=conference).delete()[1]
        done.submissions = deleted.get(Submission._meta.label, 0)
        conference.delete()
        transaction.on_commit(lambda: _delete_files(names))
        kept = set(
            CommitteeMembership.objects.filter(user_id__in=accounts).values_list(
                "user_id", flat=True
            )
        ) | set(Author.objects.filter(user_id__in=accounts).values_list("user_id", flat=True))
        done.kept = len(kept)
        deleted = User.objects.filter(pk__in=set(accounts) - kept).delete()[1]
        done.accounts = deleted.get(User._meta.label, 0)
    return done


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        if name:
            default_storage.delete(name)

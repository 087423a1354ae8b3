"""Conflict-of-interest detection between submissions and the program committee.

:func:`recompute_conflicts` finds, for every (submission, committee member) pair of a conference,
the detected sources (:data:`submissions.enums.DETECTED`) and keeps the ``Conflict`` table in
step with them. It reads everything in a fixed number of queries and matches through indexes
(domain -> members, institution -> members, person -> submissions), so its cost grows with the
number of authors plus members, not with their product.
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mlsys.accounts.models import AffiliationHistory, Collaborator, User
from mlsys.celery import enqueue_on_commit
from mlsys.conferences.enums import PC_ROLES, REVIEWING_ROLES, InvitationStatus, Role
from mlsys.conferences.models import CommitteeMembership
from mlsys.core import audit
from submissions.enums import DETECTED, ConflictSource, ConflictState
from submissions.models import Author, Conflict, Submission

#: How far back an affiliation or a collaboration still counts.
RECENT_YEARS = 3

#: Mail providers shared by unrelated people, so a shared domain says nothing. The RFC 2606
#: example domains are here for the same reason: demo and test accounts all use them.
PUBLIC_EMAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com",
        "msn.com", "yahoo.com", "yahoo.co.uk", "yahoo.co.jp", "ymail.com", "aol.com",
        "icloud.com", "me.com", "mac.com", "protonmail.com", "protonmail.ch", "proton.me",
        "pm.me", "qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "sina.com",
        "sina.cn", "sohu.com", "aliyun.com", "gmx.de", "gmx.net", "gmx.com", "web.de",
        "mail.ru", "yandex.ru", "yandex.com", "zoho.com", "fastmail.com", "hey.com",
        "tutanota.com", "naver.com", "hanmail.net", "daum.net", "rediffmail.com",
        "mail.com", "email.com", "inbox.com", "duck.com", "posteo.de", "orange.fr", "free.fr",
        "users.noreply.github.com", "example.com", "example.org", "example.net",
    }
)  # fmt: skip

# Second-level labels under a country code that are not the institution's own name
# (cs.ox.ac.uk -> ox.ac.uk, mail.tsinghua.edu.cn -> tsinghua.edu.cn).
_GENERIC_SECOND_LEVEL = frozenset({"ac", "co", "com", "edu", "gov", "net", "org", "or", "ne"})

#: Words dropped or rewritten when comparing institution names.
_INSTITUTION_WORDS = {
    "univ": "university",
    "uni": "university",
    "universitat": "university",
    "universitaet": "university",
    "universite": "university",
    "universidad": "university",
    "universita": "university",
    "inst": "institute",
    "instit": "institute",
    "tech": "technology",
    "technol": "technology",
    "natl": "national",
    "intl": "international",
    "lab": "laboratory",
    "labs": "laboratories",
    "dept": "department",
    "&": "and",
    "the": "",
    "inc": "",
    "incorporated": "",
    "ltd": "",
    "llc": "",
    "corp": "",
    "corporation": "",
    "co": "",
    "gmbh": "",
    "ag": "",
    "sa": "",
    "plc": "",
}


def email_domain(email: str) -> str:
    """The institution part of an email's domain, or "" for public providers and junk."""
    domain = email.rpartition("@")[2].strip().lower().rstrip(".")
    if not domain or "." not in domain:
        return ""
    labels = domain.split(".")
    keep = (
        3
        if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _GENERIC_SECOND_LEVEL
        else 2
    )
    base = ".".join(labels[-keep:])
    if domain in PUBLIC_EMAIL_DOMAINS or base in PUBLIC_EMAIL_DOMAINS:
        return ""
    return base


def normalize_institution(name: str) -> str:
    """A comparison key for an institution name: case, accents, punctuation and common
    abbreviations and legal suffixes removed ("The Univ. of Foo, Inc." -> "university of foo")."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " & ")
    words = []
    for raw in re.split(r"[^a-z0-9&]+", text):
        if not raw:
            continue
        word = _INSTITUTION_WORDS.get(raw, raw)
        if word:
            words.append(word)
    return " ".join(words)


def normalize_name(name: str) -> str:
    """A comparison key for a person's name (case, accents, punctuation, spacing)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(re.split(r"[^a-z0-9]+", text)).strip()


@dataclass
class Person:
    """What detection knows about one person: emails, domains, recent institutions and
    recent collaborators (emails and normalised names)."""

    emails: set[str] = field(default_factory=set)
    domains: set[str] = field(default_factory=set)
    institutions: dict[str, str] = field(default_factory=dict)  # key -> name as written
    collaborator_emails: dict[str, str] = field(default_factory=dict)  # email -> name
    collaborator_names: dict[str, str] = field(default_factory=dict)  # key -> name

    def add_email(self, email: str) -> None:
        email = email.strip().lower()
        if email:
            self.emails.add(email)
            domain = email_domain(email)
            if domain:
                self.domains.add(domain)

    def add_institution(self, name: str) -> None:
        key = normalize_institution(name)
        if key:
            self.institutions.setdefault(key, name.strip())


Found = dict[tuple[int, int, str], str]  # (submission id, user id, source) -> evidence


def _people(users: dict[int, object], year: int) -> dict[int, Person]:
    """Emails, recent affiliations and recent collaborators of ``users``: 3 queries."""
    people = {uid: Person() for uid in users}
    for uid, user in users.items():
        people[uid].add_email(user.email)
        if user.affiliation:
            people[uid].add_institution(user.affiliation)
    for uid, email in EmailAddress.objects.filter(user_id__in=users).values_list(
        "user_id", "email"
    ):
        people[uid].add_email(email)
    recent = Q(end_year__isnull=True) | Q(end_year__gte=year - RECENT_YEARS)
    for uid, institution in AffiliationHistory.objects.filter(
        recent, user_id__in=users
    ).values_list("user_id", "institution"):
        people[uid].add_institution(institution)
    ongoing = Q(until_year__isnull=True) | Q(until_year__gte=year - RECENT_YEARS)
    for uid, name, email in Collaborator.objects.filter(ongoing, user_id__in=users).values_list(
        "user_id", "name", "email"
    ):
        if email:
            people[uid].collaborator_emails[email.strip().lower()] = name
        key = normalize_name(name)
        if key:
            people[uid].collaborator_names[key] = name
    return people


#: The artifact-evaluation committee: its conflicts keep evaluators and AE chairs away from a
#: paper's artifact (artifacts.rules reads the same Conflict rows).
AE_ROLES = frozenset({Role.AE_CHAIR, Role.AE_EVALUATOR})


def committee_user_ids(conference) -> list[int]:
    """Members whose conflicts matter: reviewing, PC and artifact-evaluation roles not
    declined."""
    return list(
        CommitteeMembership.objects.filter(
            conference=conference, role__in=PC_ROLES | REVIEWING_ROLES | AE_ROLES
        )
        .exclude(status=InvitationStatus.DECLINED)
        .values_list("user_id", flat=True)
        .distinct()
    )


class _Index:
    """The committee, indexed by every key an author can match on."""

    def __init__(self, members: dict[int, Person], users: dict[int, object]):
        self.by_domain: dict[str, set[int]] = defaultdict(set)
        self.by_institution: dict[str, set[int]] = defaultdict(set)
        self.by_email: dict[str, int] = {}
        self.by_name: dict[str, set[int]] = defaultdict(set)
        self.collab_by_email: dict[str, set[int]] = defaultdict(set)
        self.collab_by_name: dict[str, set[int]] = defaultdict(set)
        for uid, person in members.items():
            for domain in person.domains:
                self.by_domain[domain].add(uid)
            for key in person.institutions:
                self.by_institution[key].add(uid)
            for email in person.emails:
                self.by_email[email] = uid
            name = normalize_name(users[uid].name or "")
            if name:
                self.by_name[name].add(uid)
            for email in person.collaborator_emails:
                self.collab_by_email[email].add(uid)
            for key in person.collaborator_names:
                self.collab_by_name[key].add(uid)


def detect(conference, *, year: int | None = None) -> Found:
    """Every detected (submission, member, source) of ``conference`` with its evidence.

    Reads a fixed number of queries (about eight); does not write.
    """
    year = year or timezone.now().year
    member_ids = set(committee_user_ids(conference))
    if not member_ids:
        return {}
    authors = list(
        Author.objects.filter(submission__conference=conference).values(
            "submission_id", "name", "email", "affiliation", "user_id"
        )
    )
    numbers = dict(Submission.objects.filter(conference=conference).values_list("pk", "number"))
    linked = {a["user_id"] for a in authors if a["user_id"]}
    users = {u.pk: u for u in User.objects.filter(pk__in=member_ids | linked)}
    people = _people(users, year)
    members = {uid: people[uid] for uid in member_ids if uid in people}
    index = _Index(members, users)

    found: Found = {}

    # Members authoring each submission, by account or by any of their emails.
    member_authors: dict[int, set[int]] = defaultdict(set)

    def add(submission_id: int, uid: int, source: str, evidence: str) -> None:
        # An author-member's own paper says "is an author"; domain or institution rows would
        # only repeat it.
        if source != ConflictSource.AUTHOR and uid in member_authors.get(submission_id, ()):
            return
        found.setdefault((submission_id, uid, source), evidence[:300])

    for a in authors:
        uid = a["user_id"] if a["user_id"] in members else index.by_email.get(a["email"].lower())
        if uid is not None:
            member_authors[a["submission_id"]].add(uid)
            add(a["submission_id"], uid, ConflictSource.AUTHOR, "Listed as an author.")

    for a in authors:
        sid, email = a["submission_id"], a["email"].strip().lower()
        me = Person()
        me.add_email(email)
        if a["affiliation"]:
            me.add_institution(a["affiliation"])
        account = people.get(a["user_id"]) if a["user_id"] else None
        if account is not None:
            for other in account.emails:
                me.add_email(other)
            me.institutions = {**account.institutions, **me.institutions}
        who = f"{a['name']} <{email}>"
        for domain in me.domains:
            for uid in index.by_domain.get(domain, ()):
                add(sid, uid, ConflictSource.EMAIL_DOMAIN, f"{domain}: author {who}")
        for key, written in me.institutions.items():
            for uid in index.by_institution.get(key, ()):
                add(sid, uid, ConflictSource.AFFILIATION, f"{written}: author {a['name']}")
        declared_by_member = index.collab_by_email.get(email, set()) | index.collab_by_name.get(
            normalize_name(a["name"]), set()
        )
        for uid in declared_by_member:
            add(sid, uid, ConflictSource.COLLABORATOR, f"The member declared {a['name']}.")
        if account is not None:
            declared_by_author = {
                index.by_email[e] for e in account.collaborator_emails if e in index.by_email
            }
            for key in account.collaborator_names:
                declared_by_author |= index.by_name.get(key, set())
            for uid in declared_by_author:
                add(sid, uid, ConflictSource.COLLABORATOR, f"{a['name']} declared the member.")

    # Co-authorship: an author of this paper and the member wrote another paper together.
    papers_of: dict[str, set[int]] = defaultdict(set)
    for a in authors:
        papers_of[_person_key(a)].add(a["submission_id"])
    for a in authors:
        sid = a["submission_id"]
        for other in papers_of[_person_key(a)] - {sid}:
            for uid in member_authors.get(other, set()) - member_authors.get(sid, set()):
                add(
                    sid,
                    uid,
                    ConflictSource.COAUTHORSHIP,
                    f"Co-author of {a['name']} on #{numbers.get(other, '?')}.",
                )
    return found


def _person_key(author: dict) -> str:
    return f"u{author['user_id']}" if author["user_id"] else author["email"].strip().lower()


@dataclass
class RecomputeResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    kept: int = 0


def recompute_conflicts(conference, *, actor=None, year: int | None = None) -> RecomputeResult:
    """Bring the detected conflicts of ``conference`` in step with the data.

    Creates SUGGESTED rows for new findings, refreshes the evidence of SUGGESTED rows, deletes
    SUGGESTED rows of detected sources that are no longer found. Rows a chair decided on
    (confirmed, pinned, dismissed) and declared or chair-set rows are never touched, so a
    dismissed suggestion stays dismissed. Writes one audit event when anything changed.
    """
    found = detect(conference, year=year)
    result = RecomputeResult()
    now = timezone.now()
    with transaction.atomic():
        existing = {
            (c.submission_id, c.user_id, c.source): c
            for c in Conflict.objects.select_for_update(of=("self",)).filter(
                submission__conference=conference, source__in=DETECTED
            )
        }
        to_create, to_update, to_delete = [], [], []
        for key, evidence in found.items():
            row = existing.get(key)
            if row is None:
                sid, uid, source = key
                to_create.append(
                    Conflict(submission_id=sid, user_id=uid, source=source, detail=evidence)
                )
            elif row.state == ConflictState.SUGGESTED and row.detail != evidence:
                row.detail = evidence
                row.updated_at = now
                to_update.append(row)
            else:
                result.kept += 1
        for key, row in existing.items():
            if key not in found and row.state == ConflictState.SUGGESTED:
                to_delete.append(row.pk)
        Conflict.objects.bulk_create(to_create, batch_size=500)
        Conflict.objects.bulk_update(to_update, ["detail", "updated_at"], batch_size=500)
        Conflict.objects.filter(pk__in=to_delete).delete()
        result.created, result.updated, result.deleted = (
            len(to_create),
            len(to_update),
            len(to_delete),
        )
        if to_create or to_update or to_delete:
            audit.record(
                "conflicts.recomputed",
                actor=actor,
                target=conference,
                changes={
                    "created": result.created,
                    "updated": result.updated,
                    "deleted": result.deleted,
                },
            )
    return result


def schedule_recompute(conference) -> None:
    """Recompute ``conference``'s detected conflicts in a task once the current transaction
    commits. Call after authors, the committee or members' affiliations change."""
    enqueue_on_commit("submissions.recompute_conflicts", conference_id=conference.pk)

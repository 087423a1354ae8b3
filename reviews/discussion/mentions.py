"""@mentions in comments.

Two spellings, both typed by hand (no autocomplete needed):

- ``@handle``: the committee member's name slugified, e.g. ``@mia-learner`` for "Mia Learner".
  A handle that two members of the conference share is ambiguous and resolves to nobody.
- ``@email``: the member's account email, e.g. ``@mia@uni.example``; always unambiguous.

Only accepted committee members of the conference (chairs, PC members, area chairs, external
reviewers) can be mentioned. Whether a mentioned member is *notified* is decided by the
comment's visibility (reviews.discussion.services), never here.
"""

import re
from dataclasses import dataclass, field

from django.utils.text import slugify

from mlsys.accounts.models import User
from mlsys.conferences.enums import InvitationStatus, Role

#: ``@`` not preceded by a word character, ``@`` or ``.`` (so plain emails are not mentions).
MENTION = re.compile(
    r"(?<![\w@.])@(?P<target>[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)"
)
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
MENTIONABLE_ROLES = (
    Role.PROGRAM_CHAIR,
    Role.PC_MEMBER,
    Role.AREA_CHAIR,
    Role.EXTERNAL_REVIEWER,
)


def handle_for(name: str) -> str:
    return slugify(name)


def mention_targets(body: str) -> list[str]:
    """The lower-cased handles and emails mentioned in ``body`` (outside code), in order."""
    text = CODE.sub(" ", body)
    seen: list[str] = []
    for match in MENTION.finditer(text):
        target = match.group("target").rstrip(".").lower()
        if target not in seen:
            seen.append(target)
    return seen


@dataclass
class Resolution:
    users: list = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Directory:
    """The conference's mentionable committee by email and by handle (a handle can name
    several people)."""

    by_email: dict
    by_handle: dict

    def lookup(self, target: str) -> list:
        if "@" in target:
            user = self.by_email.get(target)
            return [user] if user else []
        return self.by_handle.get(target, [])


def directory(conference) -> Directory:
    """The mentionable members of ``conference`` (one query)."""
    members = list(
        User.objects.filter(
            memberships__conference=conference,
            memberships__status=InvitationStatus.ACCEPTED,
            memberships__role__in=MENTIONABLE_ROLES,
        ).distinct()
    )
    by_handle: dict[str, list] = {}
    for user in members:
        handle = handle_for(user.name)
        if handle:
            by_handle.setdefault(handle, []).append(user)
    return Directory(by_email={u.email.lower(): u for u in members}, by_handle=by_handle)


def resolve(body: str, conference) -> Resolution:
    """Match the mentions in ``body`` to the conference's committee (one query)."""
    targets = mention_targets(body)
    result = Resolution()
    if not targets:
        return result
    members = directory(conference)
    for target in targets:
        candidates = members.lookup(target)
        if len(candidates) == 1:
            if candidates[0] not in result.users:
                result.users.append(candidates[0])
        elif candidates:
            result.ambiguous.append(target)
        else:
            result.unknown.append(target)
    return result


#: What an ambiguous handle (two members share it) shows to a reader who may not see names.
AMBIGUOUS_LABEL = "committee member"


def with_aliases(body: str, members: Directory, alias) -> str:
    """``body`` with every mention of a committee member rewritten as ``@`` + ``alias(user
    id)`` ("@Reviewer B"), for readers who may not learn who the members are (authors, and PC
    members when reviewer names are hidden). Code spans are left as written; text that names
    nobody on the committee is left too (it reveals no one)."""

    def replace(match: re.Match) -> str:
        target = match.group("target").rstrip(".").lower()
        candidates = members.lookup(target)
        if not candidates:
            return match.group(0)
        label = alias(candidates[0].pk) if len(candidates) == 1 else AMBIGUOUS_LABEL
        trailing = match.group("target")[len(target) :]  # a sentence's full stop
        return f"@{label}{trailing}"

    pieces = []
    last = 0
    for code in CODE.finditer(body):
        pieces.append(MENTION.sub(replace, body[last : code.start()]))
        pieces.append(code.group(0))
        last = code.end()
    pieces.append(MENTION.sub(replace, body[last:]))
    return "".join(pieces)

"""Writes to a reviewer's profile: side and load, topic interests, expertise.

Every change is audited. Side and maximum load live on the reviewer's committee memberships
(a person with two reviewing roles at one conference keeps one side and one load). Expertise
(the person's own papers) belongs to the person and is shared by every conference they review
for; which papers count at a conference is chosen there (``set_expertise_selection``). Its audit
events name the conference whose profile page the change was made from.
"""

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import pluralize

from mlsys.conferences.enums import REVIEWING_ROLES, InvitationStatus
from mlsys.conferences.models import CommitteeMembership, Conference
from mlsys.core import audit
from reviews import enums
from reviews.models import Expertise, ExpertiseExclusion, TopicInterest

#: The most papers reviewers may ask for themselves; chairs can set more on the committee page.
MAX_SELF_LOAD = 30
MAX_EXPERTISE = 200


def reviewing_memberships(user, conference: Conference):
    return CommitteeMembership.objects.filter(
        conference=conference,
        user=user,
        role__in=REVIEWING_ROLES,
        status=InvitationStatus.ACCEPTED,
    )


@transaction.atomic
def update_side_and_load(*, user, conference: Conference, side: str, max_load: int) -> list[str]:
    """Set ``side`` and ``max_load`` on the user's reviewing memberships; returns changed fields.

    Raises ValidationError (keyed by field) if the load is below a chair-set minimum load.
    """
    memberships = list(reviewing_memberships(user, conference).select_for_update(of=("self",)))
    floor = max((m.min_load for m in memberships), default=0)
    if max_load < floor:
        raise ValidationError(
            {"max_load": f"The chairs set your minimum load to {floor}; ask them to lower it."}
        )
    changed: set[str] = set()
    for membership in memberships:
        before = audit.snapshot(membership, ["side", "max_load"])
        membership.side = side
        membership.max_load = max_load
        changes = audit.diff(before, membership)
        if changes:
            membership.save(update_fields=[*changes, "updated_at"])
            audit.record(
                "reviews.profile_updated",
                actor=user,
                target=membership,
                conference=conference,
                changes=changes,
            )
            changed |= set(changes)
    return sorted(changed)


@transaction.atomic
def set_topic_interests(*, user, conference: Conference, levels: Mapping[int, int]) -> int:
    """Store one level per topic (topic id -> InterestLevel); returns how many changed.

    Topics of other conferences are ignored. NONE is stored too, so "no interest" is explicit.
    """
    topic_ids = set(conference.topics.filter(pk__in=levels).values_list("pk", flat=True))
    existing = {
        ti.topic_id: ti
        for ti in TopicInterest.objects.select_for_update(of=("self",)).filter(
            user=user, conference=conference
        )
    }
    changes, to_create, to_update = {}, [], []
    for topic_id in sorted(topic_ids):
        level = int(levels[topic_id])
        current = existing.get(topic_id)
        if current is None:
            to_create.append(
                TopicInterest(conference=conference, user=user, topic_id=topic_id, level=level)
            )
            changes[str(topic_id)] = [None, level]
        elif current.level != level:
            changes[str(topic_id)] = [current.level, level]
            current.level = level
            to_update.append(current)
    TopicInterest.objects.bulk_create(to_create)
    TopicInterest.objects.bulk_update(to_update, ["level", "updated_at"])
    if changes:
        audit.record(
            "reviews.topic_interests_updated",
            actor=user,
            conference=conference,
            changes=changes,
            note=f"{len(changes)} topic level{pluralize(len(changes))} changed",
        )
    return len(changes)


def _check_room(user, adding: int) -> None:
    have = Expertise.objects.filter(user=user).count()
    if have + adding > MAX_EXPERTISE:
        raise ValidationError(
            f"A profile holds at most {MAX_EXPERTISE} papers; you have {have}. "
            "Remove some before adding more."
        )


@transaction.atomic
def add_expertise(
    *,
    user,
    conference: Conference,
    papers: Iterable[Mapping],
    source: str = enums.ExpertiseSource.PASTED,
) -> list[Expertise]:
    """Add papers (dicts with title, abstract, year) to the user's expertise, one audit event.
    They are used at every conference until set aside there."""
    rows = [
        Expertise(
            user=user,
            title=paper["title"][:500],
            abstract=paper.get("abstract") or "",
            year=paper.get("year"),
            source=source,
        )
        for paper in papers
    ]
    if not rows:
        return []
    _check_room(user, len(rows))
    created = Expertise.objects.bulk_create(rows)
    audit.record(
        "reviews.expertise_added",
        actor=user,
        conference=conference,
        changes={"titles": [None, [row.title for row in rows]]},
        note=f"{len(rows)} paper{pluralize(len(rows))} added ({source})",
    )
    return created


@transaction.atomic
def update_expertise(
    *, expertise: Expertise, actor, conference: Conference, title: str, abstract: str, year
) -> dict:
    """Edit one of the actor's own papers (at every conference); returns the audited changes."""
    expertise = Expertise.objects.select_for_update(of=("self",)).get(pk=expertise.pk, user=actor)
    before = audit.snapshot(expertise, ["title", "abstract", "year"])
    expertise.title, expertise.abstract, expertise.year = title, abstract, year
    changes = audit.diff(before, expertise)
    if changes:
        expertise.save(update_fields=[*changes, "updated_at"])
        audit.record(
            "reviews.expertise_updated",
            actor=actor,
            target=expertise,
            conference=conference,
            changes=changes,
        )
    return changes


@transaction.atomic
def remove_expertise(*, expertise: Expertise, actor, conference: Conference) -> None:
    """Delete one of the actor's own papers, from every conference."""
    audit.record(
        "reviews.expertise_removed",
        actor=actor,
        target=expertise,
        conference=conference,
        changes={"title": [expertise.title, None]},
    )
    expertise.delete()


@transaction.atomic
def set_expertise_selection(*, user, conference: Conference, used: Iterable[int]) -> int:
    """Use exactly the papers ``used`` (ids of the user's own papers) at ``conference`` and set
    the user's other papers aside there; other conferences are untouched. Returns how many
    papers changed. Ids of papers that are not the user's are ignored."""
    papers = {
        paper.pk: paper
        for paper in Expertise.objects.select_for_update(of=("self",)).filter(user=user)
    }
    wanted = set(used) & papers.keys()
    excluded = set(
        ExpertiseExclusion.objects.filter(conference=conference, expertise__user=user).values_list(
            "expertise_id", flat=True
        )
    )
    should_exclude = papers.keys() - wanted
    to_add = should_exclude - excluded
    to_remove = excluded - should_exclude
    if not to_add and not to_remove:
        return 0
    ExpertiseExclusion.objects.filter(conference=conference, expertise_id__in=to_remove).delete()
    ExpertiseExclusion.objects.bulk_create(
        ExpertiseExclusion(conference=conference, expertise_id=pk) for pk in sorted(to_add)
    )
    audit.record(
        "reviews.expertise_selection_updated",
        actor=user,
        conference=conference,
        changes={
            "set_aside": [
                sorted(papers[pk].title for pk in excluded),
                sorted(papers[pk].title for pk in should_exclude),
            ]
        },
        note=f"{len(wanted)} of {len(papers)} paper{pluralize(len(papers))} used",
    )
    return len(to_add) + len(to_remove)

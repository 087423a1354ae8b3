# Expertise becomes the person's (issue 10), step 2 of 3: one row per paper and person.
#
# The same paper entered at two conferences (same title, whitespace and case aside, and the
# same year) becomes one row, keeping the longest abstract. Nothing a conference computed from
# changes: at every conference where the person had entered papers, each of their papers not
# entered there is set aside (an ExpertiseExclusion). Conferences where they had entered none
# (a new year) use all of them, which is the point.
#
# Backwards: each paper is copied to every conference where its owner is on the committee and
# has not set it aside (a paper used nowhere is dropped, as it had no conference before).

from collections import defaultdict

from django.db import migrations


def _key(row) -> tuple[str, int | None]:
    return (" ".join(row.title.split()).casefold(), row.year)


def forwards(apps, schema_editor):
    Expertise = apps.get_model("reviews", "Expertise")
    Exclusion = apps.get_model("reviews", "ExpertiseExclusion")
    by_user: dict[int, list] = defaultdict(list)
    for row in Expertise.objects.order_by("user_id", "pk"):
        by_user[row.user_id].append(row)
    exclusions, duplicates = [], []
    for rows in by_user.values():
        profile_conferences = {row.conference_id for row in rows}
        papers: dict[tuple, list] = defaultdict(list)
        for row in rows:
            papers[_key(row)].append(row)
        for copies in papers.values():
            kept = max(copies, key=lambda r: (len(r.abstract), -r.pk))
            used_at = {row.conference_id for row in copies}
            duplicates += [row.pk for row in copies if row.pk != kept.pk]
            exclusions += [
                Exclusion(conference_id=conference_id, expertise_id=kept.pk)
                for conference_id in sorted(profile_conferences - used_at)
            ]
    Expertise.objects.filter(pk__in=duplicates).delete()
    Exclusion.objects.bulk_create(exclusions, batch_size=1000)
    Expertise.objects.update(conference=None)


def backwards(apps, schema_editor):
    Expertise = apps.get_model("reviews", "Expertise")
    Exclusion = apps.get_model("reviews", "ExpertiseExclusion")
    Membership = apps.get_model("conferences", "CommitteeMembership")
    conferences: dict[int, set[int]] = defaultdict(set)
    for user_id, conference_id in Membership.objects.values_list("user_id", "conference_id"):
        conferences[user_id].add(conference_id)
    excluded = set(Exclusion.objects.values_list("expertise_id", "conference_id"))
    copies, originals = [], []
    for row in Expertise.objects.filter(conference__isnull=True).order_by("pk"):
        originals.append(row.pk)
        for conference_id in sorted(conferences[row.user_id]):
            if (row.pk, conference_id) not in excluded:
                copies.append(
                    Expertise(
                        conference_id=conference_id,
                        user_id=row.user_id,
                        title=row.title,
                        abstract=row.abstract,
                        year=row.year,
                        source=row.source,
                    )
                )
    Exclusion.objects.all().delete()
    Expertise.objects.filter(pk__in=originals).delete()
    Expertise.objects.bulk_create(copies, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0003_reviewing_settings"),
        ("reviews", "0004_expertise_exclusion"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

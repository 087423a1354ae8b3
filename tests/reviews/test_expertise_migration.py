"""Migrations 0004–0006: per-conference expertise rows become the person's papers (issue 10),
built on the old schema with data, migrated, and checked row by row (and migrated back)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

OLD = [("reviews", "0003_assignment_removal_keeps_reviews")]
NEW = [("reviews", "0006_remove_expertise_conference")]

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps():
    apps = _migrate(OLD)
    yield apps
    # Back to the latest schema for the tests that follow.
    executor = MigrationExecutor(connection)
    _migrate(executor.loader.graph.leaf_nodes())


def _old_data(apps):
    # The migration state's historical models: raw create() (the factories build today's models).
    User = apps.get_model("accounts", "User")
    Conference = apps.get_model("conferences", "Conference")
    Membership = apps.get_model("conferences", "CommitteeMembership")
    Expertise = apps.get_model("reviews", "Expertise")
    a = Conference.objects.create(slug="a2026", name="A 2026")
    b = Conference.objects.create(slug="b2027", name="B 2027")
    c = Conference.objects.create(slug="c2028", name="C 2028")
    pat = User.objects.create(email="pat@x.example", name="Pat")
    quinn = User.objects.create(email="quinn@x.example", name="Quinn")
    for conference in (a, b, c):
        Membership.objects.create(
            conference=conference, user=pat, role="pc_member", side="ML", status="accepted"
        )
    Membership.objects.create(
        conference=a, user=quinn, role="pc_member", side="SYSTEMS", status="accepted"
    )

    def paper(conference, user, title, abstract="", year=2024):
        return Expertise.objects.create(
            conference=conference, user=user, title=title, abstract=abstract, year=year
        )

    # The same paper entered twice (case and spacing differ; B's copy has the abstract).
    paper(a, pat, "Fast  Kernels", "", 2024)
    paper(b, pat, "fast kernels", "We make kernels fast.", 2024)
    # Only at A, only at B.
    paper(a, pat, "Old compilers", "Compilers.", 2019)
    paper(b, pat, "New schedulers", "Schedulers.", 2025)
    # Same title, another year: another paper.
    paper(b, pat, "Old compilers", "The sequel.", 2025)
    paper(a, quinn, "Quinn's paper", "Q.", 2023)
    return a, b, c, pat, quinn


def test_expertise_becomes_the_persons_and_each_conference_keeps_its_papers(old_apps):
    a, b, c, pat, quinn = _old_data(old_apps)

    apps = _migrate(NEW)

    Expertise = apps.get_model("reviews", "Expertise")
    Exclusion = apps.get_model("reviews", "ExpertiseExclusion")
    assert "conference" not in {f.name for f in Expertise._meta.get_fields()}
    papers = {(row.title, row.year): row for row in Expertise.objects.filter(user_id=pat.pk)}
    # Five rows became four: the duplicate is gone, its longer abstract kept.
    assert sorted(papers) == [
        ("New schedulers", 2025),
        ("Old compilers", 2019),
        ("Old compilers", 2025),
        ("fast kernels", 2024),
    ]
    assert papers[("fast kernels", 2024)].abstract == "We make kernels fast."

    def used_at(conference):
        excluded = set(
            Exclusion.objects.filter(conference_id=conference.pk).values_list(
                "expertise_id", flat=True
            )
        )
        return sorted((row.title, row.year) for row in papers.values() if row.pk not in excluded)

    # A and B use exactly what was entered there; C, where Pat entered nothing, uses all.
    assert used_at(a) == [("Old compilers", 2019), ("fast kernels", 2024)]
    assert used_at(b) == [("New schedulers", 2025), ("Old compilers", 2025), ("fast kernels", 2024)]
    assert used_at(c) == sorted(papers)
    assert Exclusion.objects.count() == 3
    quinns = Expertise.objects.get(user_id=quinn.pk)
    assert (quinns.title, quinns.abstract) == ("Quinn's paper", "Q.")
    assert not Exclusion.objects.filter(expertise=quinns).exists()


def test_migrating_back_gives_each_conference_its_rows_again(old_apps):
    a, b, c, pat, quinn = _old_data(old_apps)
    _migrate(NEW)

    apps = _migrate(OLD)

    Expertise = apps.get_model("reviews", "Expertise")
    rows = sorted(
        Expertise.objects.filter(user_id=pat.pk).values_list("conference__slug", "title", "year")
    )
    assert rows == [
        ("a2026", "Old compilers", 2019),
        ("a2026", "fast kernels", 2024),
        ("b2027", "New schedulers", 2025),
        ("b2027", "Old compilers", 2025),
        ("b2027", "fast kernels", 2024),
        ("c2028", "New schedulers", 2025),
        ("c2028", "Old compilers", 2019),
        ("c2028", "Old compilers", 2025),
        ("c2028", "fast kernels", 2024),
    ]
    assert list(
        Expertise.objects.filter(user_id=quinn.pk).values_list("conference__slug", "title")
    ) == [("a2026", "Quinn's paper")]

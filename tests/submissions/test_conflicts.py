"""Conflict detection per source, and recomputation that respects chairs' decisions."""

import pytest

from mlsys.conferences import enums as conf_enums
from mlsys.core.models import AuditEvent
from submissions.conflicts import (
    detect,
    email_domain,
    normalize_institution,
    recompute_conflicts,
)
from submissions.models import Conflict
from tests import factories

YEAR = 2027


def member(conference, email, **kwargs):
    user = factories.UserFactory(email=email, affiliation=kwargs.pop("affiliation", ""), **kwargs)
    factories.MembershipFactory(conference=conference, user=user)
    return user


def paper(conference, *authors):
    """``authors``: (name, email, affiliation) tuples."""
    sub = factories.SubmissionFactory(conference=conference)
    for i, (name, email, affiliation) in enumerate(authors):
        factories.AuthorFactory(
            submission=sub, name=name, email=email, affiliation=affiliation, order=i
        )
    return sub


def sources(found, sub, user) -> set[str]:
    return {source for (sid, uid, source) in found if (sid, uid) == (sub.pk, user.pk)}


@pytest.mark.parametrize(
    ("email", "expected"),
    [
        ("a@cs.stanford.edu", "stanford.edu"),
        ("a@CS.OX.AC.UK", "ox.ac.uk"),
        ("a@mail.tsinghua.edu.cn", "tsinghua.edu.cn"),
        ("a@gmail.com", ""),
        ("a@qq.com", ""),
        ("a@163.com", ""),
        ("a@protonmail.com", ""),
        ("a@localhost", ""),
    ],
)
def test_email_domain(email, expected):
    assert email_domain(email) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The Univ. of Washington", "University of Washington"),
        ("Google, Inc.", "google"),
        ("ETH Zürich", "eth zurich"),
        ("Carnegie-Mellon University", "carnegie mellon univ"),
        ("Microsoft Research & Co.", "microsoft research and"),
    ],
)
def test_normalized_institutions_match(a, b):
    assert normalize_institution(a) == normalize_institution(b)


def test_different_institutions_do_not_match():
    assert normalize_institution("University of Washington") != normalize_institution(
        "Washington University"
    )


def test_email_domain_from_any_of_the_members_addresses(conference):
    pc = member(conference, "pc@gmail.com")
    factories.EmailAddressFactory(user=pc, email="pc@cs.mit.edu", verified=True)
    sub = paper(conference, ("Ann", "ann@csail.mit.edu", ""))
    found = detect(conference, year=YEAR)
    assert sources(found, sub, pc) == {"email_domain"}
    assert "mit.edu" in found[(sub.pk, pc.pk, "email_domain")]


def test_public_provider_domains_are_ignored(conference):
    pc = member(conference, "pc@gmail.com")
    sub = paper(conference, ("Ann", "ann@gmail.com", ""), ("Bo", "bo@qq.com", ""))
    member(conference, "pc2@qq.com")
    assert detect(conference, year=YEAR) == {}
    assert not sources(detect(conference, year=YEAR), sub, pc)


def test_same_institution_from_current_affiliation_normalised(conference):
    pc = member(conference, "pc@alpha.edu", affiliation="The Univ. of Washington")
    sub = paper(conference, ("Ann", "ann@beta.edu", "University of Washington"))
    assert sources(detect(conference, year=YEAR), sub, pc) == {"affiliation"}


def test_affiliation_history_counts_for_three_years_only(conference):
    pc = member(conference, "pc@alpha.edu", affiliation="Elsewhere Labs")
    factories.AffiliationFactory(user=pc, institution="Old U", start_year=2015, end_year=2024)
    factories.AffiliationFactory(user=pc, institution="Ancient U", start_year=2010, end_year=2023)
    recent = paper(conference, ("Ann", "ann@xray.edu", "Old U"))
    ancient = paper(conference, ("Bo", "bo@yank.edu", "Ancient U"))
    found = detect(conference, year=YEAR)
    assert sources(found, recent, pc) == {"affiliation"}
    assert sources(found, ancient, pc) == set()


def test_declared_collaborator_by_email_or_name_within_three_years(conference):
    pc = member(conference, "pc@alpha.edu")
    factories.CollaboratorFactory(user=pc, name="Ann Lee", email="ann@xray.edu")
    factories.CollaboratorFactory(user=pc, name="Bo Ström", until_year=2025)
    factories.CollaboratorFactory(user=pc, name="Cy Old", until_year=2020)
    by_email = paper(conference, ("A. Lee", "ann@xray.edu", ""))
    by_name = paper(conference, ("bo strom", "bo@yank.edu", ""))
    too_old = paper(conference, ("Cy Old", "cy@zulu.edu", ""))
    found = detect(conference, year=YEAR)
    assert sources(found, by_email, pc) == {"collaborator"}
    assert sources(found, by_name, pc) == {"collaborator"}
    assert sources(found, too_old, pc) == set()


def test_collaborator_declared_by_a_linked_author(conference):
    pc = member(conference, "pc@alpha.edu", name="Pat Member")
    ann = factories.UserFactory(email="ann@xray.edu", name="Ann")
    factories.CollaboratorFactory(user=ann, name="Pat Member")
    sub = factories.SubmissionFactory(conference=conference, authors=[ann])
    assert sources(detect(conference, year=YEAR), sub, pc) == {"collaborator"}


def test_member_who_is_an_author_and_coauthorship(conference):
    pc = member(conference, "pc@alpha.edu", affiliation="Same U")
    own = paper(conference, ("Pat", "PC@alpha.edu", "Same U"), ("Ann", "ann@xray.edu", ""))
    other = paper(conference, ("Ann", "ann@xray.edu", ""), ("Bo", "bo@yank.edu", ""))
    found = detect(conference, year=YEAR)
    assert sources(found, own, pc) == {"author"}
    assert sources(found, other, pc) == {"coauthorship"}
    assert f"#{own.number}" in found[(other.pk, pc.pk, "coauthorship")]


def test_declined_members_are_not_checked(conference):
    declined = member(conference, "d@xray.edu")
    declined.memberships.update(status=conf_enums.InvitationStatus.DECLINED)
    paper(conference, ("Ann", "ann@xray.edu", ""))
    assert detect(conference, year=YEAR) == {}


@pytest.mark.parametrize("role", [conf_enums.Role.AE_EVALUATOR, conf_enums.Role.AE_CHAIR])
def test_artifact_evaluation_members_are_checked(conference, role):
    """Their conflicts keep them away from the paper's artifact (artifacts.rules)."""
    ae = factories.UserFactory(email="ae@xray.edu")
    factories.MembershipFactory(conference=conference, user=ae, role=role)
    sub = paper(conference, ("Ann", "ann@xray.edu", ""))
    assert sources(detect(conference, year=YEAR), sub, ae) == {"email_domain"}


def test_recompute_upserts_suggestions_and_respects_decisions(conference, chair):
    pc = member(conference, "pc@xray.edu", affiliation="X U")
    sub = paper(conference, ("Ann", "ann@xray.edu", "X U"))
    stale = factories.ConflictFactory(submission=sub, user=chair, source="email_domain")
    declared = factories.ConflictFactory(submission=sub, user=chair, source="author_declared")

    result = recompute_conflicts(conference, year=YEAR)

    rows = {(c.user_id, c.source): c.state for c in Conflict.objects.filter(submission=sub)}
    assert rows == {
        (pc.pk, "email_domain"): "suggested",
        (pc.pk, "affiliation"): "suggested",
        (chair.pk, "author_declared"): "suggested",
    }
    assert not Conflict.objects.filter(pk=stale.pk).exists()
    assert Conflict.objects.filter(pk=declared.pk).exists()
    assert (result.created, result.deleted) == (2, 1)
    assert AuditEvent.objects.filter(action="conflicts.recomputed").count() == 1

    Conflict.objects.filter(user=pc, source="email_domain").update(state="dismissed")
    Conflict.objects.filter(user=pc, source="affiliation").update(state="pinned")
    pc.affiliation = "Another U"
    pc.save()
    result = recompute_conflicts(conference, year=YEAR)
    rows = {(c.user_id, c.source): c.state for c in Conflict.objects.filter(submission=sub)}
    assert rows[(pc.pk, "email_domain")] == "dismissed"
    assert rows[(pc.pk, "affiliation")] == "pinned"
    assert (result.created, result.updated, result.deleted) == (0, 0, 0)


def test_recompute_is_idempotent(conference):
    member(conference, "pc@xray.edu")
    paper(conference, ("Ann", "ann@xray.edu", ""))
    recompute_conflicts(conference, year=YEAR)
    result = recompute_conflicts(conference, year=YEAR)
    assert (result.created, result.updated, result.deleted, result.kept) == (0, 0, 0, 1)
    assert AuditEvent.objects.filter(action="conflicts.recomputed").count() == 1


def test_detection_reads_a_constant_number_of_queries(conference, django_assert_num_queries):
    for i in range(10):
        member(conference, f"pc{i}@u{i}.edu", affiliation=f"U{i}")
    for i in range(20):
        paper(conference, (f"A{i}", f"a{i}@u{i % 10}.edu", f"U{i % 7}"))
    with django_assert_num_queries(7):
        found = detect(conference, year=YEAR)
    assert len(found) >= 20


@pytest.mark.django_db(transaction=True)
def test_schedule_recompute_runs_the_task_after_commit(conference):
    from django.db import transaction

    from submissions.conflicts import schedule_recompute

    member(conference, "pc@xray.edu")
    paper(conference, ("Ann", "ann@xray.edu", ""))
    with transaction.atomic():
        schedule_recompute(conference)
        assert not Conflict.objects.exists()
    assert Conflict.objects.get().source == "email_domain"

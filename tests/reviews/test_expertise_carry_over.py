"""Expertise belongs to the person (issue 10): a returning PC member finds their papers at the
next conference, and chooses per conference which of them count for the affinities."""

import pytest
from django.urls import reverse

from mlsys.conferences.enums import Role, Side
from mlsys.core.models import AuditEvent
from reviews.affinity import queries as affinity_queries
from reviews.affinity.services import load_inputs
from reviews.models import Expertise, ExpertiseExclusion
from tests import factories


def url(conference, name="reviews:profile", **kwargs):
    return reverse(name, kwargs={"conference": conference.slug, **kwargs})


@pytest.fixture
def next_year(db, ml_reviewer):
    conference = factories.conference_in_submission_phase(slug="mlsys2028", name="MLSys 2028")
    factories.MembershipFactory(
        conference=conference, user=ml_reviewer, role=Role.PC_MEMBER, side=Side.ML
    )
    return conference


@pytest.fixture
def pc(client, ml_reviewer):
    client.force_login(ml_reviewer)
    return client


def _add(pc, conference, title):
    response = pc.post(
        url(conference),
        {"section": "expertise", "expertise-title": title, "expertise-abstract": f"{title}."},
    )
    assert response.status_code == 302


def test_papers_added_last_year_are_on_next_years_profile_and_used(
    pc, conference, next_year, ml_reviewer
):
    _add(pc, conference, "Fast kernels")

    response = pc.get(url(next_year))

    assert response.status_code == 200
    papers = response.context["expertise"]
    assert [(p.title, p.used) for p in papers] == [("Fast kernels", True)]
    assert "No papers yet" not in response.content.decode()
    assert list(Expertise.objects.used_at(next_year).values_list("title", flat=True)) == [
        "Fast kernels"
    ]


def test_unticking_a_paper_sets_it_aside_at_that_conference_only(
    pc, conference, next_year, ml_reviewer
):
    kept = factories.ExpertiseFactory(user=ml_reviewer, title="Kernels")
    old = factories.ExpertiseFactory(user=ml_reviewer, title="Old parsers")

    response = pc.post(url(next_year), {"section": "selection", "selection-used": [kept.pk]})

    assert response.status_code == 302
    assert list(ExpertiseExclusion.objects.values_list("conference", "expertise")) == [
        (next_year.pk, old.pk)
    ]
    assert set(Expertise.objects.used_at(next_year)) == {kept}
    assert set(Expertise.objects.used_at(conference)) == {kept, old}
    event = AuditEvent.objects.get(action="reviews.expertise_selection_updated")
    assert (event.conference, event.actor) == (next_year, ml_reviewer)
    assert event.changes == {"set_aside": [[], ["Old parsers"]]}

    # Ticking it again brings it back; the page shows the choice.
    pc.post(url(next_year), {"section": "selection", "selection-used": [kept.pk, old.pk]})
    assert not ExpertiseExclusion.objects.exists()
    assert all(p.used for p in pc.get(url(next_year)).context["expertise"])


def test_choosing_another_persons_paper_is_refused_and_changes_nothing(
    pc, conference, ml_reviewer, systems_reviewer
):
    mine = factories.ExpertiseFactory(user=ml_reviewer, title="Mine")
    theirs = factories.ExpertiseFactory(user=systems_reviewer, title="Theirs")

    response = pc.post(url(conference), {"section": "selection", "selection-used": [theirs.pk]})

    assert response.status_code == 400
    assert response.context["selection_form"].errors["used"] == [
        "Choose among your own papers; reload the page."
    ]
    assert not ExpertiseExclusion.objects.exists()
    assert set(Expertise.objects.used_at(conference)) == {mine, theirs}


def test_editing_a_paper_from_next_years_profile_changes_it_everywhere(
    pc, conference, next_year, ml_reviewer
):
    paper = factories.ExpertiseFactory(user=ml_reviewer, title="Draft title")

    response = pc.post(
        url(next_year, "reviews:expertise_edit", pk=paper.pk),
        {"title": "Final title", "abstract": "A.", "year": "2024"},
    )

    assert response.status_code == 302
    assert Expertise.objects.used_at(conference).get().title == "Final title"
    event = AuditEvent.objects.get(action="reviews.expertise_updated")
    assert event.conference == next_year


def test_the_affinity_reads_only_the_papers_used_at_the_conference(
    conference, next_year, ml_reviewer
):
    factories.ExpertiseFactory(user=ml_reviewer, title="Kernels", abstract="Fast GPU kernels.")
    parsers = factories.ExpertiseFactory(user=ml_reviewer, title="Parsers", abstract="LR(1).")
    factories.ExpertiseExclusionFactory(expertise=parsers, conference=next_year)

    docs = {r.id: r.documents for r in load_inputs(next_year).reviewers}
    assert docs[ml_reviewer.pk] == ("Kernels\nFast GPU kernels.",)
    docs = {r.id: r.documents for r in load_inputs(conference).reviewers}
    assert docs[ml_reviewer.pk] == ("Kernels\nFast GPU kernels.", "Parsers\nLR(1).")


def test_a_reviewer_who_sets_every_paper_aside_is_listed_without_expertise(
    conference, next_year, ml_reviewer
):
    paper = factories.ExpertiseFactory(user=ml_reviewer)
    factories.ExpertiseExclusionFactory(expertise=paper, conference=next_year)

    assert ml_reviewer in affinity_queries.reviewers_without_expertise(next_year)
    assert ml_reviewer not in affinity_queries.reviewers_without_expertise(conference)

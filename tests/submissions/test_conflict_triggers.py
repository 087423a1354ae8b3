"""Conflicts are recomputed when the committee or a member's affiliations change."""

import pytest

from mlsys.accounts import services as account_services
from mlsys.conferences import enums as conf_enums
from mlsys.conferences import services as conference_services
from submissions.enums import ConflictSource
from submissions.models import Conflict
from tests import factories


@pytest.fixture
def paper(conference, author):
    author.affiliation = "University of Example"
    author.save()
    return factories.SubmissionFactory(conference=conference, authors=[author])


@pytest.mark.django_db(transaction=True)
def test_adding_a_pc_member_from_the_authors_institution_creates_a_suggestion(
    conference, chair, paper
):
    conference_services.add_member(
        conference=conference,
        email="colleague@uni.example.edu",
        name="Col League",
        data={
            "role": conf_enums.Role.PC_MEMBER,
            "side": conf_enums.Side.ML,
            "max_load": 5,
            "status": conf_enums.InvitationStatus.ACCEPTED,
        },
        actor=chair,
    )
    conflict = Conflict.objects.get(submission=paper, user__email="colleague@uni.example.edu")
    assert conflict.source == ConflictSource.EMAIL_DOMAIN


@pytest.mark.django_db(transaction=True)
def test_a_member_joining_the_authors_institution_becomes_conflicted(
    conference, paper, ml_reviewer
):
    assert not Conflict.objects.filter(user=ml_reviewer).exists()
    account_services.add_affiliation(
        user=ml_reviewer, data={"institution": "Univ. of Example", "start_year": 2024}
    )
    assert Conflict.objects.filter(
        submission=paper, user=ml_reviewer, source=ConflictSource.AFFILIATION
    ).exists()

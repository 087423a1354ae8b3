"""Attack (issue 10): an archived conference is read-only, yet a member's own profile change
(outside any conference page) recomputed its detected conflicts. Removing the affiliation that
made them conflicted with a paper deleted the conflict, and the archived conference's papers
then opened to them (their reviews, scores and discussion)."""

import pytest
from django.utils import timezone

from mlsys.accounts import services as account_services
from mlsys.conferences.models import Conference
from submissions.enums import ConflictSource
from submissions.models import Conflict
from submissions.tasks import recompute_conflicts_task
from tests import factories


@pytest.fixture
def paper(conference, author):
    author.affiliation = "University of Example"
    author.save()
    return factories.SubmissionFactory(conference=conference, authors=[author])


@pytest.mark.django_db(transaction=True)
def test_attack_profile_change_does_not_rewrite_an_archived_conferences_conflicts(
    conference, paper, ml_reviewer
):
    account_services.add_affiliation(
        user=ml_reviewer, data={"institution": "Univ. of Example", "start_year": 2024}
    )
    conflict = Conflict.objects.get(
        submission=paper, user=ml_reviewer, source=ConflictSource.AFFILIATION
    )
    Conference.objects.filter(pk=conference.pk).update(archived_at=timezone.now())
    affiliation = ml_reviewer.affiliations.get()
    account_services.remove_affiliation(user=ml_reviewer, affiliation=affiliation)
    assert Conflict.objects.filter(pk=conflict.pk).exists()


@pytest.mark.django_db
def test_attack_recompute_task_skips_an_archived_conference(conference, paper, ml_reviewer):
    Conference.objects.filter(pk=conference.pk).update(archived_at=timezone.now())
    factories.AffiliationFactory(user=ml_reviewer, institution="Univ. of Example", start_year=2024)
    assert recompute_conflicts_task(conference_id=conference.pk) is None
    assert not Conflict.objects.filter(user=ml_reviewer).exists()

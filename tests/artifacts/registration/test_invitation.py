"""The invitation at the release of decisions (once per accepted paper, only where AE runs) and
the authors' home section."""

import pytest
from django.core import mail
from django.urls import reverse

from artifacts.models import ArtifactInvitation
from artifacts.registration.home import artifacts_section
from decisions import services as decisions
from decisions.outcomes import outcomes_of
from tests import factories as f
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


def release(conference, capture, **papers):
    chair = f.UserFactory()
    f.MembershipFactory(conference=conference, user=chair, role="program_chair", status="accepted")
    oral, _poster, reject = outcomes_of(conference)
    for paper, accepted in papers.values():
        decisions.record_decision(
            submission=paper, outcome=oral if accepted else reject, actor=chair
        )
    with capture(execute=True):
        decisions.release_decisions(conference=conference, actor=chair)
    return chair


def test_release_invites_accepted_papers_once(django_capture_on_commit_callbacks):
    conference = af.ae_conference()
    ada, rex = f.UserFactory(email="ada@x.example"), f.UserFactory(email="rex@x.example")
    accepted = f.SubmissionFactory(conference=conference, status="submitted", authors=[ada])
    f.AuthorFactory(submission=accepted, name="No Account", email="na@x.example", order=5)
    rejected = f.SubmissionFactory(conference=conference, status="submitted", authors=[rex])
    release(
        conference,
        django_capture_on_commit_callbacks,
        a=(accepted, True),
        r=(rejected, False),
    )
    invitations = [m for m in mail.outbox if "Register the artifact" in m.subject]
    assert len(invitations) == 1
    assert sorted(invitations[0].to) == ["ada@x.example", "na@x.example"]
    assert (
        reverse(
            "artifacts:register", kwargs={"conference": conference.slug, "number": accepted.number}
        )
        in invitations[0].body
    )
    assert ArtifactInvitation.objects.get().submission == accepted
    # The signal again (a second release run) invites nobody twice.
    mail.outbox.clear()
    from decisions.signals import decisions_released

    accepted.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        decisions_released.send(
            sender=None, conference=conference, submissions=[accepted, rejected], actor=None
        )
    assert not [m for m in mail.outbox if "Register the artifact" in m.subject]
    assert ArtifactInvitation.objects.count() == 1


def test_no_invitation_without_ae(django_capture_on_commit_callbacks):
    conference = af.ae_conference()
    conference.ae_settings.enabled = False
    conference.ae_settings.save()
    paper = f.SubmissionFactory(
        conference=conference, status="submitted", authors=[f.UserFactory()]
    )
    release(conference, django_capture_on_commit_callbacks, a=(paper, True))
    assert not ArtifactInvitation.objects.exists()
    assert not [m for m in mail.outbox if "Register the artifact" in m.subject]


def test_no_invitation_at_a_conference_without_ae_settings(django_capture_on_commit_callbacks):
    conference = f.conference_in_submission_phase()
    paper = f.SubmissionFactory(
        conference=conference, status="submitted", authors=[f.UserFactory()]
    )
    release(conference, django_capture_on_commit_callbacks, a=(paper, True))
    assert not ArtifactInvitation.objects.exists()


class Request:
    def __init__(self, user):
        self.user = user


def test_home_section_lists_accepted_papers(paper, ada, django_assert_num_queries, client):
    assert artifacts_section(Request(f.UserFactory())) is None
    with django_assert_num_queries(1):
        sections = artifacts_section(Request(ada))
    assert [p.pk for p in sections[0].context["artifact_papers"]] == [paper.pk]
    client.force_login(ada)
    page = client.get("/").content.decode()
    assert "Register an artifact" in page
    af.ArtifactFactory(conference=paper.conference, submission=paper)
    page = client.get("/").content.decode()
    assert "Register an artifact" not in page and "Registered" in page


def test_home_section_query_count_is_constant(ada, django_assert_num_queries):
    conference = af.ae_conference()
    for _ in range(10):
        paper = f.SubmissionFactory(conference=conference, status="accepted", authors=[ada])
        af.ArtifactFactory(conference=conference, submission=paper)
    with django_assert_num_queries(1):
        sections = artifacts_section(Request(ada))
    assert len(sections[0].context["artifact_papers"]) == 10


def test_home_section_says_when_registration_closed(paper, ada, client):
    from datetime import timedelta

    from django.utils import timezone

    from mlsys.conferences.enums import DeadlineKind

    f.DeadlineFactory(
        conference=paper.conference,
        kind=DeadlineKind.AE_REGISTRATION,
        at=timezone.now() - timedelta(days=1),
    )
    client.force_login(ada)
    page = client.get("/").content.decode()
    assert "Artifact registration closed." in page and "Register an artifact" not in page

import pytest
from django.urls import reverse

from mlsys.conferences import enums
from tests import factories


@pytest.fixture
def url(conference):
    def build(name: str, **kwargs) -> str:
        return reverse(f"conferences:{name}", kwargs={"conference": conference.slug, **kwargs})

    return build


@pytest.fixture
def staff(db):
    return factories.UserFactory(email="ops@example.org", name="Site Ops", is_staff=True)


@pytest.fixture
def source(conference, chair, ml_reviewer):
    """``conference`` (MLSys 2027) with extra questions, a default and a track review form
    (one question removed), an email override, a forced phase and a paper with a bid."""
    research = conference.tracks.get(slug="research")
    research.page_limit = 12
    research.min_font_size = 10
    research.save()
    conference.submission_grace_minutes = 30
    conference.response_word_limit = 600
    conference.save()
    factories.ExtraFieldFactory(
        track=research, label="Previously submitted to", kind="text", order=0
    )
    factories.ExtraFieldFactory(
        track=research, label="Artifact?", kind="choice", choices="Yes\nNo", order=1
    )
    default = factories.ReviewFormFactory(conference=conference)
    factories.ReviewFieldFactory(form=default, key="merit", label="Merit", order=0)
    factories.ReviewFieldFactory(form=default, key="old", label="Old", order=1, active=False)
    track_form = factories.ReviewFormFactory(
        conference=conference, track=research, name="Research review form"
    )
    factories.ReviewFieldFactory(form=track_form, key="novelty", label="Novelty", order=0)
    factories.EmailTemplateFactory(
        conference=conference, key="committee.invitation", subject="Join us", body="Hi {name}"
    )
    factories.PhaseSettingFactory(
        conference=conference, phase=enums.Phase.SUBMISSION, mode=enums.PhaseMode.CLOSED
    )
    paper = factories.SubmissionFactory(conference=conference, track=research)
    factories.BidFactory(submission=paper, user=ml_reviewer)
    return conference

from datetime import timedelta

import pytest
from django.utils import timezone

from mlsys.conferences.enums import DeadlineKind, Phase, PhaseMode
from tests import factories


def fresh(conference):
    return type(conference).objects.get(pk=conference.pk)


@pytest.mark.django_db
def test_submission_phase_is_current_before_the_deadline(conference):
    assert conference.timeline().current == Phase.SUBMISSION
    assert conference.timeline().can_register_submission()


@pytest.mark.django_db
def test_registration_closes_before_submission_unless_late_registration_is_allowed(conference):
    registration = conference.deadlines.get(kind=DeadlineKind.REGISTRATION).at
    later = registration + timedelta(hours=1)
    timeline = conference.timeline(now=later)
    assert timeline.can_update_submission()
    assert not timeline.can_register_submission()
    conference.allow_late_registration = True
    assert conference.timeline(now=later).can_register_submission()


@pytest.mark.django_db
def test_grace_period_extends_the_submission_window(conference):
    deadline = conference.deadlines.get(kind=DeadlineKind.SUBMISSION).at
    just_after = deadline + timedelta(minutes=5)
    assert conference.timeline(now=just_after).current == Phase.BIDDING
    conference.submission_grace_minutes = 10
    assert conference.timeline(now=just_after).is_open(Phase.SUBMISSION)
    assert not conference.timeline(now=deadline + timedelta(minutes=11)).is_open(Phase.SUBMISSION)


@pytest.mark.django_db
def test_response_is_current_inside_discussion(conference):
    at = conference.deadlines.get(kind=DeadlineKind.RESPONSE_OPEN).at + timedelta(hours=1)
    timeline = conference.timeline(now=at)
    assert timeline.open_phases == [Phase.RESPONSE, Phase.DISCUSSION]
    assert timeline.current == Phase.RESPONSE


@pytest.mark.django_db
def test_chair_switch_wins_over_the_clock(conference):
    factories.PhaseSettingFactory(
        conference=conference, phase=Phase.SUBMISSION, mode=PhaseMode.CLOSED
    )
    factories.PhaseSettingFactory(conference=conference, phase=Phase.BIDDING, mode=PhaseMode.OPEN)
    timeline = fresh(conference).timeline()
    assert not timeline.is_open(Phase.SUBMISSION)
    assert timeline.current == Phase.BIDDING


@pytest.mark.django_db
def test_closed_after_the_last_deadline(conference):
    last = max(d.at for d in conference.deadlines.all())
    assert conference.timeline(now=last + timedelta(days=1)).current == Phase.CLOSED
    assert conference.timeline(now=last + timedelta(days=1)).next_deadline is None


@pytest.mark.django_db
def test_next_deadline_is_the_nearest_future_one(conference):
    assert conference.timeline(now=timezone.now()).next_deadline.kind == DeadlineKind.REGISTRATION


@pytest.mark.django_db
def test_a_phase_the_chair_opens_early_is_shown_as_current(conference):
    factories.PhaseSettingFactory(conference=conference, phase=Phase.RESPONSE, mode=PhaseMode.OPEN)
    timeline = fresh(conference).timeline()
    assert timeline.is_open(Phase.SUBMISSION)
    assert timeline.current == Phase.RESPONSE


@pytest.mark.django_db
def test_next_deadline_skips_dates_of_phases_under_a_chair_switch(conference):
    factories.PhaseSettingFactory(
        conference=conference, phase=Phase.SUBMISSION, mode=PhaseMode.CLOSED
    )
    factories.PhaseSettingFactory(conference=conference, phase=Phase.BIDDING, mode=PhaseMode.OPEN)
    timeline = fresh(conference).timeline()
    assert timeline.next_deadline.kind == DeadlineKind.REVIEW

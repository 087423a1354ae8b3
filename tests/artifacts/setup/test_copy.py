"""Starting next year's conference from this one copies the AE settings and the active badges
with their combinations (the AE dates move with the conference's deadlines)."""

from datetime import timedelta

import pytest

from artifacts.models import AESettings, Badge
from artifacts.setup import copying, services
from mlsys.conferences.creation import NewConference, create_conference
from mlsys.conferences.enums import DeadlineKind as K
from mlsys.conferences.models import Deadline
from mlsys.conferences.setup_copy import preview_setup
from tests import factories as f
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


def _create(source):
    staff = f.UserFactory(is_staff=True)
    return create_conference(
        new=NewConference(
            name="MLSys 2028",
            slug="mlsys2028",
            chair_email=staff.email,
            chair_name="Staff",
            copy_from=source,
            shift_days=365,
        ),
        actor=staff,
    )


def test_settings_and_active_badges_are_copied_with_combinations():
    source = af.ae_conference()
    chair = af.ae_chair(source)
    services.update_settings(
        conference=source,
        data={"evaluators_per_artifact": 4, "call_url": "https://example.org/cfa"},
        actor=chair,
    )
    retired = Badge.objects.get(conference=source, key="available")
    services.retire_badge(badge=retired, actor=chair)
    reusable = Badge.objects.get(conference=source, key="reusable")
    reproduced = Badge.objects.get(conference=source, key="reproduced")
    services.update_badge(badge=reusable, data={"excludes": [reproduced.pk]}, actor=chair)
    decision = source.deadline_map()[K.DECISION].at
    services.set_ae_dates(
        conference=source, schedule={K.AE_REGISTRATION: decision + timedelta(days=2)}, actor=chair
    )
    assert preview_setup(source)[copying.BADGES] == 3

    created = _create(source)

    assert created.copied[copying.SETTINGS] == 1
    assert created.copied[copying.BADGES] == 3
    target = created.conference
    settings = AESettings.objects.get(conference=target)
    assert settings.evaluators_per_artifact == 4
    assert settings.call_url == "https://example.org/cfa"
    copies = {b.key: b for b in Badge.objects.filter(conference=target)}
    assert set(copies) == {"functional", "reusable", "reproduced"}
    assert list(copies["reusable"].requires.all()) == [copies["functional"]]
    assert list(copies["reproduced"].excludes.all()) == [copies["reusable"]]
    assert copies["reusable"].checklist == reusable.checklist
    assert Deadline.objects.filter(conference=target, kind=K.AE_REGISTRATION).exists()


def test_a_conference_without_ae_copies_nothing():
    source = f.conference_in_submission_phase()
    assert copying.SETTINGS not in preview_setup(source)
    created = _create(source)
    assert not AESettings.objects.filter(conference=created.conference).exists()
    assert not Badge.objects.filter(conference=created.conference).exists()

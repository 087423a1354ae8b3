"""The AE chair's configuration services: settings, AE dates through the conference's deadline
service, the badge set and its combinations, retire/restore/delete, each refused to anyone
without artifacts.manage_ae and audited."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from artifacts.models import AESettings, Badge, RequestedBadge
from artifacts.setup import services
from mlsys.conferences.enums import DeadlineKind as K
from mlsys.conferences.models import Deadline
from mlsys.core.models import AuditEvent
from tests import factories as f
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return af.artifact_world()


def badge(conference, key):
    return Badge.objects.get(conference=conference, key=key)


def data(**overrides):
    base = {
        "label": "Results Replicated",
        "key": "replicated",
        "description": "",
        "colour": "#123456",
        "checklist": ["One", "  ", "Two "],
        "required_fields": ["repository_url"],
        "requires": [],
        "excludes": [],
    }
    return {**base, **overrides}


def test_settings_created_with_default_badges_on_first_visit():
    conference = f.conference_in_submission_phase()
    chair = af.ae_chair(conference)
    settings = services.settings_for(conference=conference, actor=chair)
    assert settings.pk and settings.evaluators_per_artifact == 3
    assert settings.evaluations_per_evaluator == 2
    assert list(Badge.objects.filter(conference=conference).values_list("key", flat=True)) == [
        "available",
        "functional",
        "reusable",
        "reproduced",
    ]


def test_update_settings_audits_changed_fields(world):
    services.update_settings(
        conference=world.conference,
        data={"evaluators_per_artifact": 4, "enabled": True},
        actor=world.ae_chair,
    )
    settings = AESettings.objects.get(conference=world.conference)
    assert settings.evaluators_per_artifact == 4
    event = AuditEvent.objects.get(action="artifacts.settings_updated")
    assert event.changes == {"evaluators_per_artifact": [3, 4]}
    assert event.actor == world.ae_chair


def test_update_settings_out_of_range_is_refused_and_keeps_the_old_value(world):
    with pytest.raises(ValidationError) as exc:
        services.update_settings(
            conference=world.conference,
            data={"evaluators_per_artifact": 11, "evaluations_per_evaluator": 0},
            actor=world.ae_chair,
        )
    assert set(exc.value.message_dict) == {"evaluators_per_artifact", "evaluations_per_evaluator"}
    assert AESettings.objects.get(conference=world.conference).evaluators_per_artifact == 3


@pytest.mark.parametrize("who", ["evaluator_a", "author", "outsider", "other_evaluator"])
def test_settings_refused_without_manage_ae(world, who):
    with pytest.raises(PermissionDenied):
        services.update_settings(
            conference=world.conference, data={"enabled": False}, actor=getattr(world, who)
        )
    assert AESettings.objects.get(conference=world.conference).enabled


def test_program_chair_may_configure(world):
    services.update_settings(
        conference=world.conference, data={"enabled": False}, actor=world.program_chair
    )
    assert not AESettings.objects.get(conference=world.conference).enabled


def test_ae_dates_saved_through_the_deadline_service(world):
    decision = world.conference.deadline_map()[K.DECISION].at
    schedule = {K.AE_REGISTRATION: decision + timedelta(days=1), K.AE_KICK_START: None}
    changed = services.set_ae_dates(
        conference=world.conference, schedule=schedule, actor=world.ae_chair
    )
    assert changed == [K.AE_REGISTRATION]
    assert Deadline.objects.get(conference=world.conference, kind=K.AE_REGISTRATION).at == (
        decision + timedelta(days=1)
    )
    assert AuditEvent.objects.filter(action="deadlines.updated").count() == 1


def test_ae_dates_out_of_order_are_refused_with_the_chain_message(world):
    decision = world.conference.deadline_map()[K.DECISION].at
    with pytest.raises(ValidationError) as exc:
        services.set_ae_dates(
            conference=world.conference,
            schedule={
                K.AE_REGISTRATION: decision - timedelta(days=1),
                K.AE_KICK_START: decision + timedelta(days=5),
                K.AE_KICK_END: decision + timedelta(days=5),
            },
            actor=world.ae_chair,
        )
    errors = exc.value.message_dict
    assert errors[K.AE_REGISTRATION] == ["Must be on or after “Decisions released”."]
    assert errors[K.AE_KICK_END] == ["Must be after “Kick-the-tires opens”."]
    assert not Deadline.objects.filter(conference=world.conference, kind__startswith="ae_").exists()


def test_ae_dates_cannot_touch_paper_deadlines(world):
    with pytest.raises(ValidationError) as exc:
        services.set_ae_dates(
            conference=world.conference,
            schedule={K.SUBMISSION: timezone.now()},
            actor=world.ae_chair,
        )
    assert K.SUBMISSION in exc.value.message_dict


def test_ae_dates_refused_to_an_evaluator(world):
    with pytest.raises(PermissionDenied):
        services.set_ae_dates(
            conference=world.conference,
            schedule={K.AE_DECISION: timezone.now() + timedelta(days=200)},
            actor=world.evaluator_a,
        )


# --- Badges -----------------------------------------------------------------------------------


def test_create_badge_at_the_end_with_combinations(world):
    functional = badge(world.conference, "functional")
    available = badge(world.conference, "available")
    made = services.create_badge(
        conference=world.conference,
        data=data(requires=[functional.pk], excludes=[available.pk]),
        actor=world.ae_chair,
    )
    assert made.order == 4 and made.checklist == ["One", "Two"]
    assert list(made.requires.all()) == [functional]
    assert list(available.excludes.all()) == [made]  # symmetrical
    event = AuditEvent.objects.get(action="artifacts.badge_created")
    assert event.changes["requires"] == [[], ["functional"]]


def test_duplicate_key_bad_colour_and_unknown_field_are_field_errors(world):
    with pytest.raises(ValidationError) as exc:
        services.create_badge(
            conference=world.conference,
            data=data(key="available", colour="red", required_fields=["password"]),
            actor=world.ae_chair,
        )
    errors = exc.value.message_dict
    assert "already has the key" in errors["key"][0]
    assert errors["colour"] == ["Use a hex colour such as #1f6f43."]
    assert "Unknown registration field: password." in errors["required_fields"]
    assert Badge.objects.filter(conference=world.conference).count() == 4


def test_requires_cycle_is_refused(world):
    functional = badge(world.conference, "functional")
    reusable = badge(world.conference, "reusable")  # requires functional
    with pytest.raises(ValidationError) as exc:
        services.update_badge(
            badge=functional, data={"requires": [reusable.pk]}, actor=world.ae_chair
        )
    assert "cycle" in exc.value.message_dict["requires"][0]
    assert not functional.requires.exists()


def test_cannot_require_and_exclude_the_same_badge(world):
    available = badge(world.conference, "available")
    with pytest.raises(ValidationError) as exc:
        services.create_badge(
            conference=world.conference,
            data=data(requires=[available.pk], excludes=[available.pk]),
            actor=world.ae_chair,
        )
    assert exc.value.message_dict["excludes"] == [
        "A badge cannot both require and exclude Artifacts Available."
    ]


def test_cannot_exclude_a_badge_required_through_another(world):
    functional = badge(world.conference, "functional")
    reusable = badge(world.conference, "reusable")  # requires functional
    with pytest.raises(ValidationError) as exc:
        services.update_badge(
            badge=functional, data={"excludes": [reusable.pk]}, actor=world.ae_chair
        )
    assert "go together" in exc.value.message_dict["excludes"][0]


def test_a_badge_cannot_name_itself(world):
    available = badge(world.conference, "available")
    with pytest.raises(ValidationError) as exc:
        services.update_badge(
            badge=available, data={"requires": [available.pk]}, actor=world.ae_chair
        )
    assert exc.value.message_dict["requires"] == ["A badge cannot name itself."]


def test_a_badge_of_another_conference_is_refused(world):
    other = af.ae_conference()
    with pytest.raises(ValidationError) as exc:
        services.create_badge(
            conference=world.conference,
            data=data(requires=[badge(other, "available").pk]),
            actor=world.ae_chair,
        )
    assert exc.value.message_dict["requires"] == ["Choose badges of this conference."]


def test_retire_keeps_requests_and_flags_badges_requiring_it(world):
    from artifacts.setup import queries

    functional = badge(world.conference, "functional")
    services.retire_badge(badge=functional, actor=world.ae_chair)
    functional.refresh_from_db()
    assert not functional.active
    assert RequestedBadge.objects.filter(badge=functional).exists()
    warnings = queries.set_warnings(list(queries.badges(world.conference)))
    assert len(warnings) == 2 and "Artifacts Evaluated – Reusable" in warnings[0]
    # Requiring a retired badge while saving is refused.
    with pytest.raises(ValidationError) as exc:
        services.create_badge(
            conference=world.conference, data=data(requires=[functional.pk]), actor=world.ae_chair
        )
    assert "retired" in exc.value.message_dict["requires"][0]
    assert AuditEvent.objects.filter(action="artifacts.badge_retired").count() == 1


def test_restore_refused_while_a_required_badge_is_retired(world):
    functional = badge(world.conference, "functional")
    reusable = badge(world.conference, "reusable")
    services.retire_badge(badge=reusable, actor=world.ae_chair)
    services.retire_badge(badge=functional, actor=world.ae_chair)
    with pytest.raises(ValidationError) as exc:
        services.restore_badge(badge=reusable, actor=world.ae_chair)
    assert "restore it first" in exc.value.messages[0]
    services.restore_badge(badge=functional, actor=world.ae_chair)
    services.restore_badge(badge=reusable, actor=world.ae_chair)
    assert Badge.objects.filter(conference=world.conference, active=True).count() == 4


def test_a_requested_badge_is_never_deleted(world):
    available = badge(world.conference, "available")
    with pytest.raises(ValidationError) as exc:
        services.delete_badge(badge=available, actor=world.ae_chair)
    assert "retire it instead" in exc.value.messages[0]
    assert Badge.objects.filter(pk=available.pk).exists()


def test_an_unused_badge_is_deleted_and_audited(world):
    reproduced = badge(world.conference, "reproduced")
    services.delete_badge(badge=reproduced, actor=world.ae_chair)
    assert not Badge.objects.filter(pk=reproduced.pk).exists()
    event = AuditEvent.objects.get(action="artifacts.badge_deleted")
    assert event.changes["key"] == ["reproduced", None]
    assert event.changes["requires"] == [["functional"], None]


def test_reorder(world):
    ids = list(
        Badge.objects.filter(conference=world.conference)
        .order_by("order")
        .values_list("pk", flat=True)
    )
    services.move_badge(badge=Badge.objects.get(pk=ids[3]), step=-1, actor=world.ae_chair)
    after = list(
        Badge.objects.filter(conference=world.conference)
        .order_by("order")
        .values_list("pk", flat=True)
    )
    assert after == [ids[0], ids[1], ids[3], ids[2]]
    with pytest.raises(ValidationError):
        services.reorder_badges(conference=world.conference, order=ids[:2], actor=world.ae_chair)


@pytest.mark.parametrize("who", ["evaluator_a", "author", "outsider"])
def test_badge_writes_refused_without_manage_ae(world, who):
    actor = getattr(world, who)
    available = badge(world.conference, "available")
    for call in (
        lambda: services.create_badge(conference=world.conference, data=data(), actor=actor),
        lambda: services.update_badge(badge=available, data={"label": "X"}, actor=actor),
        lambda: services.retire_badge(badge=available, actor=actor),
        lambda: services.delete_badge(badge=available, actor=actor),
        lambda: services.move_badge(badge=available, step=1, actor=actor),
    ):
        with pytest.raises(PermissionDenied):
            call()
    available.refresh_from_db()
    assert available.label == "Artifacts Available" and available.active

"""The AE chair's configuration pages: settings and dates, the badge set and its actions.
Refused (404) to evaluators, authors and outsiders; anonymous visitors are sent to log in."""

from datetime import timedelta

import pytest
from django.urls import reverse

from artifacts.models import AESettings, Badge
from mlsys.conferences.enums import DeadlineKind as K
from mlsys.conferences.models import Deadline
from tests import factories as f
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return af.artifact_world()


def url(world, name, **kwargs):
    return reverse(f"artifacts:{name}", kwargs={"conference": world.conference.slug, **kwargs})


def as_user(client, user):
    client.force_login(user)
    return client


def test_settings_page_creates_the_settings_on_first_visit(client):
    conference = f.conference_in_submission_phase()
    chair = af.ae_chair(conference)
    response = as_user(client, chair).get(
        reverse("artifacts:settings", kwargs={"conference": conference.slug})
    )
    assert response.status_code == 200
    assert AESettings.objects.filter(conference=conference).exists()
    assert Badge.objects.filter(conference=conference).count() == 4
    html = response.content.decode()
    assert "Artifact evaluation dates" not in html  # only after saving
    assert 'name="ae_kick_start"' in html and conference.timezone_label in html


def test_save_settings(client, world):
    response = as_user(client, world.ae_chair).post(
        url(world, "settings"),
        {
            "part": "settings",
            "enabled": "on",
            "evaluators_per_artifact": "4",
            "evaluations_per_evaluator": "3",
            "report_visibility": "when_submitted",
            "call_url": "https://example.org/cfa",
        },
    )
    assert response.status_code == 302
    settings = AESettings.objects.get(conference=world.conference)
    assert (settings.evaluators_per_artifact, settings.evaluations_per_evaluator) == (4, 3)
    assert settings.report_visibility == "when_submitted"


def test_bad_settings_keep_what_was_typed(client, world):
    response = as_user(client, world.ae_chair).post(
        url(world, "settings"),
        {
            "part": "settings",
            "evaluators_per_artifact": "40",
            "evaluations_per_evaluator": "2",
            "report_visibility": "when_published",
            "call_url": "not a url at all",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="40"' in html
    assert AESettings.objects.get(conference=world.conference).evaluators_per_artifact == 3


def test_dates_entered_in_the_conference_zone(client, world):
    decision = world.conference.deadline_map()[K.DECISION].at.astimezone(world.conference.tz)
    local = (decision + timedelta(days=3)).replace(hour=23, minute=59, second=0, microsecond=0)
    response = as_user(client, world.ae_chair).post(
        url(world, "settings"),
        {"part": "dates", K.AE_REGISTRATION: local.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    saved = Deadline.objects.get(conference=world.conference, kind=K.AE_REGISTRATION).at
    assert saved == local


def test_dates_out_of_order_show_the_message_and_keep_the_input(client, world):
    decision = world.conference.deadline_map()[K.DECISION].at.astimezone(world.conference.tz)
    early = (decision - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = as_user(client, world.ae_chair).post(
        url(world, "settings"), {"part": "dates", K.AE_REGISTRATION: early}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Must be on or after “Decisions released”." in html
    assert early in html
    assert not Deadline.objects.filter(conference=world.conference, kind=K.AE_REGISTRATION)


def test_badge_list_shows_combinations_and_warnings(client, world):
    Badge.objects.filter(conference=world.conference, key="functional").update(active=False)
    response = as_user(client, world.program_chair).get(url(world, "badges"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Artifacts Evaluated – Reusable" in html and "Requires" in html
    assert "no artifact can get it" in html


def test_create_badge_from_the_page(client, world):
    functional = Badge.objects.get(conference=world.conference, key="functional")
    response = as_user(client, world.ae_chair).post(
        url(world, "badge_create"),
        {
            "label": "Results Replicated",
            "key": "replicated",
            "colour": "#aa0000",
            "checklist": "Scripts\n\nData",
            "required_fields": ["repository_url", "experiments"],
            "requires": [functional.pk],
        },
    )
    assert response.status_code == 302
    badge = Badge.objects.get(conference=world.conference, key="replicated")
    assert badge.checklist == ["Scripts", "Data"]
    assert list(badge.requires.all()) == [functional]


def test_badge_form_error_keeps_input(client, world):
    response = as_user(client, world.ae_chair).post(
        url(world, "badge_create"),
        {"label": "Twice", "key": "available", "colour": "#aa0000", "checklist": "Keep me"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "already has the key" in html and "Keep me" in html


def test_retire_restore_and_reorder_buttons(client, world):
    badge = Badge.objects.get(conference=world.conference, key="reproduced")
    client = as_user(client, world.ae_chair)
    assert client.post(url(world, "badge_retire", pk=badge.pk)).status_code == 302
    badge.refresh_from_db()
    assert not badge.active
    client.post(url(world, "badge_restore", pk=badge.pk))
    badge.refresh_from_db()
    assert badge.active
    client.post(url(world, "badge_up", pk=badge.pk))
    badge.refresh_from_db()
    assert badge.order == 2


def test_delete_confirmation_and_refusal(client, world):
    client = as_user(client, world.ae_chair)
    used = Badge.objects.get(conference=world.conference, key="available")
    page = client.get(url(world, "badge_delete", pk=used.pk))
    assert "cannot be deleted" in page.content.decode()
    client.post(url(world, "badge_delete", pk=used.pk))
    assert Badge.objects.filter(pk=used.pk).exists()
    unused = Badge.objects.get(conference=world.conference, key="reproduced")
    page = client.get(url(world, "badge_delete", pk=unused.pk))
    assert "Delete badge" in page.content.decode()
    assert client.post(url(world, "badge_delete", pk=unused.pk)).status_code == 302
    assert not Badge.objects.filter(pk=unused.pk).exists()


PAGES = [
    ("settings", {}),
    ("badges", {}),
    ("badge_create", {}),
]


@pytest.mark.parametrize("who", ["evaluator_a", "other_evaluator", "author", "outsider"])
@pytest.mark.parametrize(("name", "extra"), PAGES)
def test_pages_are_404_without_manage_ae(client, world, who, name, extra):
    response = as_user(client, getattr(world, who)).get(url(world, name, **extra))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["evaluator_a", "author", "outsider"])
@pytest.mark.parametrize("action", ["badge_retire", "badge_up", "badge_delete", "badge_edit"])
def test_badge_actions_are_404_without_manage_ae(client, world, who, action):
    badge = Badge.objects.get(conference=world.conference, key="reproduced")
    response = as_user(client, getattr(world, who)).post(url(world, action, pk=badge.pk))
    assert response.status_code == 404
    badge.refresh_from_db()
    assert badge.active and badge.label == "Results Reproduced"


def test_anonymous_is_sent_to_log_in(client, world):
    response = client.get(url(world, "settings"))
    assert response.status_code == 302 and "login" in response.url


def test_a_badge_of_another_conference_is_404(client, world):
    other = af.ae_conference()
    foreign = Badge.objects.get(conference=other, key="available")
    response = as_user(client, world.ae_chair).get(url(world, "badge_edit", pk=foreign.pk))
    assert response.status_code == 404


def test_archived_conference_is_read_only(client, world):
    from django.utils import timezone

    world.conference.archived_at = timezone.now()
    world.conference.save(update_fields=["archived_at"])
    client = as_user(client, world.ae_chair)
    assert client.get(url(world, "settings")).status_code == 200
    response = client.post(url(world, "settings"), {"part": "settings"})
    assert response.status_code == 403

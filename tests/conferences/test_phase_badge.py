"""The conference bar names the phase in words ("Camera-ready"), not its code name."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mlsys.conferences.enums import DeadlineKind, Phase, PhaseMode
from tests import factories


def test_the_bar_says_camera_ready(client, conference, chair):
    factories.PhaseSettingFactory(
        conference=conference, phase=Phase.CAMERA_READY, mode=PhaseMode.OPEN
    )
    client.force_login(chair)
    html = client.get(reverse("conferences:detail", kwargs={"conference": conference.slug}))
    text = html.content.decode()
    assert '<span class="badge phase-camera_ready">Camera-ready</span>' in text
    assert "Camera_ready" not in text


def test_the_decision_date_is_not_announced_once_every_decision_is_released(conference):
    conference.deadlines.filter(kind=DeadlineKind.DECISION).update(
        at=timezone.now() + timedelta(days=3)
    )
    conference.deadlines.exclude(kind=DeadlineKind.DECISION).update(
        at=timezone.now() - timedelta(days=3)
    )
    assert conference.timeline().next_deadline.kind == DeadlineKind.DECISION
    conference.decisions_released_at = timezone.now()
    conference.save(update_fields=["decisions_released_at"])
    conference.refresh_from_db()
    assert conference.timeline().next_deadline is None

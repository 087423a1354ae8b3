"""Wording on the evaluation part of the artifact page (walking through the demo as new users):
the evaluation deadline in the conference's time zone like every other date, and help that
says what happens to HTML (it is removed, not shown)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone

from artifacts.enums import ArtifactStatus as S
from mlsys.conferences.enums import DeadlineKind
from tests import factories as f
from tests.factories import artifacts as af


def page(client, world, who):
    client.force_login(getattr(world, who))
    target = reverse(
        "artifacts:detail",
        kwargs={"conference": world.conference.slug, "number": world.artifact.submission.number},
    )
    return client.get(target).content.decode()


def test_evaluation_deadline_in_the_conference_time_zone(client, db):
    world = af.artifact_world(status=S.EVALUATING)
    year = timezone.now().year + 1
    due = datetime(year, 1, 4, 23, 59, tzinfo=ZoneInfo("Etc/GMT+12"))
    f.DeadlineFactory(conference=world.conference, kind=DeadlineKind.AE_EVALUATION, at=due)
    html = page(client, world, "evaluator_a")
    assert "Editable until" in html
    assert f"4 Jan {year}, 23:59" in html
    assert f"{year}-01-05 11:59 UTC while" not in html


def test_help_says_html_is_removed(client, db):
    world = af.artifact_world(status=S.KICK_THE_TIRES)
    f.DeadlineFactory(
        conference=world.conference,
        kind=DeadlineKind.AE_EVALUATION,
        at=timezone.now() + timedelta(days=9),
    )
    html = page(client, world, "evaluator_a")
    assert "HTML tags are removed" in html
    assert "HTML is shown as text" not in html


def test_combined_message_says_whose_checklist_is_not_done(client, db):
    world = af.artifact_world(status=S.KICK_THE_TIRES)
    html = page(client, world, "evaluator_a")
    assert "One combined message to the authors" in html
    assert "Your checklist is not marked complete yet." in html
    assert "Evaluator B's checklist is not marked complete yet." in html
    assert world.evaluator_b.name not in html

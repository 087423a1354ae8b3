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


def test_an_htmx_post_says_it_was_posted(client, db):
    """The new-user trial posted twice: the thread came back with no word of the post."""
    world = af.artifact_world(status=S.KICK_THE_TIRES)
    client.force_login(world.evaluator_a)
    target = reverse(
        "artifacts:post_message",
        kwargs={
            "conference": world.conference.slug,
            "number": world.artifact.submission.number,
            "thread": "evaluators",
        },
    )
    html = client.post(target, {"body": "Installed fine."}, HTTP_HX_REQUEST="true").content
    assert b"Message posted." in html and b"Installed fine." in html


def test_the_final_report_is_shown_once_to_the_authors(client, db):
    """With the badges (not again in full in the thread)."""
    from artifacts.evaluation import decide

    world = af.artifact_world(status=S.DECIDED)
    world.artifact.public_report = "A unique sentence of the final report."
    world.artifact.save(update_fields=["public_report"])
    decide.publish(artifact=world.artifact, actor=world.ae_chair)
    html = page(client, world, "author")
    assert html.count("A unique sentence of the final report.") == 1
    assert "The final report is shown with the badges above." in html

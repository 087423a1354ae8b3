"""The full evaluation: drafts, submission with a verdict and justification per requested
badge, the deadline, who reads whose evaluation, what the authors read and when, and the
move to discussion once every evaluator has submitted."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from artifacts import enums
from artifacts.enums import ArtifactStatus as S
from artifacts.evaluation import queries, services
from artifacts.evaluation.services import VerdictInput
from artifacts.models import AESettings, Artifact, BadgeVerdict, Evaluation
from mlsys.conferences.viewer import Viewer
from tests.artifacts.evaluation.conftest import evaluation_due_in, leaks, page_url, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def evaluating(make_world):
    return make_world(status=S.EVALUATING)


def badges(world):
    return {
        rb.badge.key: rb.badge_id for rb in world.artifact.requested_badges.select_related("badge")
    }


def full(world, verdict="award"):
    return {pk: VerdictInput(verdict, f"Because {key} holds") for key, pk in badges(world).items()}


def save(world, user, *, verdicts=None, submit=False, to_authors="Nice artifact", now=None):
    return services.save_evaluation(
        actor=user,
        artifact=world.artifact,
        to_authors=to_authors,
        to_evaluators="Between us: fine",
        verdicts=full(world) if verdicts is None else verdicts,
        submit=submit,
        now=now,
    )


def test_draft_may_leave_verdicts_open(evaluating):
    ids = badges(evaluating)
    evaluation = save(
        evaluating,
        evaluating.evaluator_a,
        verdicts={ids["available"]: VerdictInput("award", "DOI ok")},
    )
    assert evaluation.submitted_at is None
    assert list(BadgeVerdict.objects.values_list("verdict", flat=True)) == ["award"]


def test_verdict_needs_justification(evaluating):
    ids = badges(evaluating)
    with pytest.raises(ValidationError, match="Artifacts Available: justify the verdict"):
        save(
            evaluating,
            evaluating.evaluator_a,
            verdicts={ids["available"]: VerdictInput("award", " ")},
        )
    assert not Evaluation.objects.exists()


def test_submit_needs_every_requested_badge(evaluating):
    ids = badges(evaluating)
    with pytest.raises(ValidationError, match="missing: Artifacts Evaluated – Functional"):
        save(
            evaluating,
            evaluating.evaluator_a,
            verdicts={ids["available"]: VerdictInput("award", "ok")},
            submit=True,
        )
    assert not Evaluation.objects.exists()


def test_verdict_for_a_badge_not_requested_is_refused(evaluating):
    from artifacts.models import Badge

    other = Badge.objects.get(conference=evaluating.conference, key="reproduced")
    with pytest.raises(ValidationError, match="did not request"):
        save(evaluating, evaluating.evaluator_a, verdicts={other.pk: VerdictInput("award", "x")})


def test_submitted_evaluation_stays_complete_when_edited(evaluating):
    save(evaluating, evaluating.evaluator_a, submit=True)
    ids = badges(evaluating)
    with pytest.raises(ValidationError, match="missing"):
        save(evaluating, evaluating.evaluator_a, verdicts={ids["available"]: VerdictInput("", "")})
    assert BadgeVerdict.objects.count() == 2  # the earlier good state survives
    save(evaluating, evaluating.evaluator_a, verdicts=full(evaluating, "do_not_award"))
    assert set(BadgeVerdict.objects.values_list("verdict", flat=True)) == {"do_not_award"}


def test_every_evaluator_submitted_moves_to_discussion(evaluating):
    save(evaluating, evaluating.evaluator_a, submit=True)
    assert Artifact.objects.get(pk=evaluating.artifact.pk).status == S.EVALUATING
    save(evaluating, evaluating.evaluator_b, submit=True)
    assert Artifact.objects.get(pk=evaluating.artifact.pk).status == S.DISCUSSION


def test_editable_in_discussion_until_the_deadline(make_world):
    world = make_world(status=S.DISCUSSION)
    evaluation_due_in(world.conference, timedelta(hours=1))
    save(world, world.evaluator_a, submit=True)
    later = timezone.now() + timedelta(hours=2)
    with pytest.raises(PermissionDenied, match="deadline has passed"):
        save(world, world.evaluator_a, to_authors="changed", now=later)
    assert Evaluation.objects.get().to_authors == "Nice artifact"


@pytest.mark.parametrize("state", [S.KICK_THE_TIRES, S.AWAITING_AUTHOR, S.DECIDED, S.PUBLISHED])
def test_not_writable_outside_evaluation(make_world, state):
    world = make_world(status=state)
    with pytest.raises(PermissionDenied):
        save(world, world.evaluator_a)
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    "who", ["author", "other_evaluator", "ae_chair", "conflicted_ae_chair", "outsider"]
)
def test_only_assigned_evaluators_evaluate(evaluating, who):
    with pytest.raises(PermissionDenied):
        save(evaluating, getattr(evaluating, who))


def test_others_evaluations_only_after_submitting_ones_own(evaluating):
    save(evaluating, evaluating.evaluator_b, submit=True, to_authors="B's view")
    viewer_a = Viewer(evaluating.evaluator_a)
    assert queries.committee_evaluations(viewer_a, evaluating.artifact) == []
    save(evaluating, evaluating.evaluator_a, submit=True)
    cards = queries.committee_evaluations(Viewer(evaluating.evaluator_a), evaluating.artifact)
    assert [c.alias for c in cards] == ["Evaluator A", "Evaluator B"]
    assert all(c.name == "" for c in cards)


def test_chair_reads_drafts_with_names(evaluating):
    save(evaluating, evaluating.evaluator_a)
    cards = queries.committee_evaluations(Viewer(evaluating.ae_chair), evaluating.artifact)
    assert [(c.alias, c.name, c.submitted_at) for c in cards] == [
        ("Evaluator A", "Zebulon Quixote", None)
    ]
    assert (
        queries.committee_evaluations(Viewer(evaluating.conflicted_ae_chair), evaluating.artifact)
        == []
    )


def test_authors_read_comments_when_published_by_default(evaluating, client):
    save(evaluating, evaluating.evaluator_a, submit=True, to_authors="Great README")
    client.force_login(evaluating.author)
    html = client.get(page_url(evaluating)).content.decode()
    assert "Great README" not in html
    Artifact.objects.filter(pk=evaluating.artifact.pk).update(status=S.PUBLISHED)
    html = client.get(page_url(evaluating)).content.decode()
    assert "Great README" in html
    assert "Between us" not in html
    assert leaks(html) == []


def test_authors_read_comments_as_submitted_when_the_chair_says_so(evaluating, client):
    AESettings.objects.filter(conference=evaluating.conference).update(
        report_visibility=enums.ReportVisibility.WHEN_SUBMITTED
    )
    save(evaluating, evaluating.evaluator_a, to_authors="Draft words")
    client.force_login(evaluating.author)
    assert "Draft words" not in client.get(page_url(evaluating)).content.decode()
    save(evaluating, evaluating.evaluator_a, submit=True, to_authors="Submitted words")
    html = client.get(page_url(evaluating)).content.decode()
    assert "Submitted words" in html and "Evaluator A" in html
    assert "Between us" not in html
    assert "Because available holds" not in html  # never a per-evaluator verdict
    assert leaks(html) == []


def test_page_save_and_submit(evaluating, client):
    client.force_login(evaluating.evaluator_a)
    ids = badges(evaluating)
    data = {
        "to_authors": "Hi",
        "to_evaluators": "",
        f"verdict_{ids['available']}": "award",
        f"justification_{ids['available']}": "DOI resolves",
        "action": "save",
    }
    assert client.post(url(evaluating, "save_evaluation"), data).status_code == 302
    assert Evaluation.objects.get().submitted_at is None
    data["action"] = "submit"
    response = client.post(url(evaluating, "save_evaluation"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "missing: Artifacts Evaluated – Functional" in html
    assert "DOI resolves" in html  # what was typed is kept
    data.update(
        {
            f"verdict_{ids['functional']}": "do_not_award",
            f"justification_{ids['functional']}": "No scripts",
        }
    )
    assert client.post(url(evaluating, "save_evaluation"), data).status_code == 302
    assert Evaluation.objects.get().submitted_at is not None
    html = client.get(page_url(evaluating)).content.decode()
    assert "submitted" in html


def test_page_evaluation_refused_to_author(evaluating, client):
    client.force_login(evaluating.author)
    response = client.post(
        url(evaluating, "save_evaluation"), {"to_authors": "x", "action": "submit"}
    )
    assert response.status_code == 403
    assert not Evaluation.objects.exists()


def test_page_shows_the_others_evaluation_after_ones_own(make_world, client):
    world = make_world(status=S.DISCUSSION)
    save(world, world.evaluator_b, submit=True, to_authors="B's considered view")
    client.force_login(world.evaluator_a)
    html = client.get(page_url(world)).content.decode()
    assert "considered view" not in html
    assert "once you have submitted yours" in html
    save(world, world.evaluator_a, submit=True, to_authors="A's view")
    html = client.get(page_url(world)).content.decode()
    assert "considered view" in html and "Evaluator B" in html
    assert "Xanthippe" not in html

"""The cast of the evaluation tests: ``artifact_world()`` with evaluators whose names and
addresses are easy to look for in what the authors receive."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences.enums import DeadlineKind
from tests import factories as f
from tests.factories import artifacts as af

SECRETS = (
    "Zebulon Quixote",
    "zebulon.secret@eval.example",
    "Xanthippe Vorhees",
    "xanthe@eval.example",
)


def _world(status="kick_the_tires", badges=("available", "functional")):
    world = af.artifact_world(status=status, badges=badges)
    for user, (name, email) in (
        (world.evaluator_a, SECRETS[:2]),
        (world.evaluator_b, SECRETS[2:]),
    ):
        user.name, user.email = name, email
        user.save(update_fields=["name", "email"])
        user.emailaddress_set.update(email=email)
    world.artifact.refresh_from_db()
    return world


@pytest.fixture
def make_world(db):
    return _world


@pytest.fixture
def world(db):
    return _world()


def page_url(world) -> str:
    return reverse(
        "artifacts:detail",
        kwargs={"conference": world.conference.slug, "number": world.artifact.submission.number},
    )


def url(world, name: str, **kwargs) -> str:
    return reverse(
        f"artifacts:{name}",
        kwargs={
            "conference": world.conference.slug,
            "number": world.artifact.submission.number,
            **kwargs,
        },
    )


def api_url(world, name: str, **kwargs) -> str:
    return reverse(
        name,
        kwargs={
            "conference": world.conference.slug,
            "number": world.artifact.submission.number,
            **kwargs,
        },
    )


def set_deadline(conference, kind: str, at) -> None:
    f.DeadlineFactory(conference=conference, kind=kind, at=at)


def evaluation_due_in(conference, delta: timedelta) -> None:
    from mlsys.conferences.models import Deadline

    Deadline.objects.update_or_create(
        conference=conference,
        kind=DeadlineKind.AE_EVALUATION,
        defaults={"at": timezone.now() + delta},
    )


def leaks(text: str) -> list[str]:
    """Which evaluator secrets (names, addresses) appear in ``text``."""
    lowered = text.lower()
    return [s for s in SECRETS if s.lower() in lowered]

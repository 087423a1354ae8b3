"""factory_boy factories of the artifacts app: ``from tests.factories import artifacts as af``.

``ArtifactFactory`` makes an accepted paper (with its authors, if given) in a conference that
runs AE with the default badge set; ``artifact_world()`` is the usual cast around one artifact.
"""

from dataclasses import dataclass

import factory

from artifacts.defaults import ensure_settings
from mlsys.conferences import enums
from tests import factories as f


def ae_conference(**kwargs):
    conference = f.conference_in_submission_phase(**kwargs)
    ensure_settings(conference)
    return conference


class ArtifactFactory(factory.django.DjangoModelFactory):
    """An artifact of an accepted paper; pass ``authors=[user, ...]`` for the paper's authors and
    ``badges=["available", ...]`` (badge keys) for the requested badges."""

    class Meta:
        model = "artifacts.Artifact"
        skip_postgeneration_save = True

    conference = factory.LazyFunction(ae_conference)
    submission = factory.LazyAttribute(
        lambda o: f.SubmissionFactory(conference=o.conference, status="accepted")
    )
    status = "registered"
    repository_url = "https://github.com/example/artifact"
    version = "3f2c1a9b7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b"
    doi = "10.5281/zenodo.1234567"
    licence = "MIT"
    packaging = "container"

    @factory.post_generation
    def authors(obj, create, extracted, **kwargs):
        for i, user in enumerate(extracted or []):
            f.AuthorFactory(
                submission=obj.submission,
                user=user,
                name=user.name,
                email=user.email,
                order=i,
                is_contact=i == 0,
            )
        if extracted:
            obj.contact = extracted[0]
            obj.save(update_fields=["contact"])

    @factory.post_generation
    def badges(obj, create, extracted, **kwargs):
        from artifacts.models import Badge, RequestedBadge

        for key in extracted or []:
            RequestedBadge.objects.create(
                artifact=obj, badge=Badge.objects.get(conference=obj.conference, key=key)
            )


class EvaluatorAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "artifacts.EvaluatorAssignment"

    artifact = factory.SubFactory(ArtifactFactory)
    evaluator = factory.LazyAttribute(lambda o: evaluator(o.artifact.conference))
    alias = factory.LazyAttribute(
        lambda o: "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[o.artifact.assignments.count()]
    )


class ArtifactMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "artifacts.ArtifactMessage"

    artifact = factory.SubFactory(ArtifactFactory)
    thread = "authors"
    sender_role = "author"
    body = "Hello evaluators."


def evaluator(conference, **kwargs):
    """A user who accepted the AE evaluator role at ``conference``."""
    user = f.UserFactory(**kwargs)
    f.MembershipFactory(
        conference=conference,
        user=user,
        role=enums.Role.AE_EVALUATOR,
        status=enums.InvitationStatus.ACCEPTED,
    )
    return user


def ae_chair(conference, **kwargs):
    user = f.UserFactory(**kwargs)
    f.MembershipFactory(
        conference=conference,
        user=user,
        role=enums.Role.AE_CHAIR,
        status=enums.InvitationStatus.ACCEPTED,
    )
    return user


@dataclass
class ArtifactWorld:
    """One artifact with its author, two assigned evaluators (A, B), an unassigned evaluator,
    the AE chair, an AE chair conflicted with the paper, a program chair and an outsider."""

    conference: object
    artifact: object
    author: object
    evaluator_a: object
    evaluator_b: object
    other_evaluator: object
    ae_chair: object
    conflicted_ae_chair: object
    program_chair: object
    outsider: object


def artifact_world(*, status="kick_the_tires", badges=("available", "functional")) -> ArtifactWorld:
    conference = ae_conference()
    author = f.UserFactory(name="Ada Author")
    artifact = ArtifactFactory(
        conference=conference, authors=[author], badges=list(badges), status=status
    )
    a = EvaluatorAssignmentFactory(artifact=artifact, alias="A")
    b = EvaluatorAssignmentFactory(artifact=artifact, alias="B")
    conflicted = ae_chair(conference)
    f.ConflictFactory(submission=artifact.submission, user=conflicted)
    program_chair = f.UserFactory()
    f.MembershipFactory(
        conference=conference,
        user=program_chair,
        role=enums.Role.PROGRAM_CHAIR,
        status=enums.InvitationStatus.ACCEPTED,
    )
    return ArtifactWorld(
        conference=conference,
        artifact=artifact,
        author=author,
        evaluator_a=a.evaluator,
        evaluator_b=b.evaluator,
        other_evaluator=evaluator(conference),
        ae_chair=ae_chair(conference),
        conflicted_ae_chair=conflicted,
        program_chair=program_chair,
        outsider=f.UserFactory(),
    )

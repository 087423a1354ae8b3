"""Bidding and assignment API: the evaluator's bids and "my artifacts"; the AE chairs'
assignments (list, add, remove), the solver's run and its commit, starting kick-the-tires.

The same rules and services as the pages. Evaluators reach only their own bids and artifacts
(``artifacts.evaluator_pages``), chairs the rest (``artifacts.manage_ae``); anyone else gets
404. A chair conflicted with a paper sees none of its artifact's evaluators, and its
per-artifact actions answer 404. Removing an evaluator whose assignment carries work is
refused with 409 naming the work until the request says ``confirm``.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from artifacts import enums
from artifacts.assignment import hardware, queries, services, solving
from artifacts.assignment import pool as pools
from artifacts.models import Artifact, EvaluatorAssignment
from artifacts.rules import conflicted_artifact_submission_ids
from mlsys.conferences.api.views import ConferenceScopedGenericViewSet
from mlsys.core.api.pagination import Pagination
from mlsys.core.errors import Conflict
from mlsys.core.numbers import MAX_INT
from submissions.api.viewsets import CONFERENCE, NUMBER

TAGS = ["artifact assignment"]


# --- Evaluators --------------------------------------------------------------------------------


class ArtifactBidRowSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="a.submission.number")
    title = serializers.CharField(source="a.submission.title")
    status = serializers.CharField(source="a.status")
    summary = serializers.CharField(source="a.summary")
    packaging = serializers.CharField(source="a.packaging")
    badges = serializers.SerializerMethodField()
    needs = serializers.ListField(child=serializers.CharField())
    fits = serializers.BooleanField(help_text="Your hardware profile fits the artifact's needs.")
    why_not = serializers.ListField(child=serializers.CharField())
    experiments = serializers.JSONField(source="a.experiments")
    datasets = serializers.JSONField(source="a.datasets")
    bid = serializers.CharField(source="a.my_bid", allow_null=True)

    def get_badges(self, row) -> list[str]:
        return [rb.badge.label for rb in row["a"].requested_badges.all()]


class ArtifactBidInputSerializer(serializers.Serializer):
    preference = serializers.ChoiceField(choices=enums.BidPreference.choices)


class EvaluatorViewSet(ConferenceScopedGenericViewSet):
    permission_map = {
        "view": "artifacts.evaluator_pages",
        "write": "artifacts.evaluator_pages",
    }
    conference_schedule = True
    pagination_class = Pagination
    serializer_class = ArtifactBidRowSerializer

    def get_queryset(self):
        return Artifact.objects.none()


@extend_schema(tags=TAGS, parameters=[CONFERENCE])
class BidViewSet(EvaluatorViewSet):
    """The artifacts you may bid on (bidding metadata only, never access details) and your
    bid on each; artifacts you are conflicted with do not exist here."""

    @extend_schema(summary="Artifacts to bid on, with your bid and hardware fit")
    def list(self, request, *args, **kwargs):
        profile = queries.profile_of(request.user)
        page = self.paginate_queryset(queries.for_bidding(request.user, self.conference))
        rows = []
        for artifact in page:
            ok, reasons = hardware.fit(profile, artifact)
            rows.append(
                {"a": artifact, "needs": hardware.needs(artifact), "fits": ok, "why_not": reasons}
            )
        return self.get_paginated_response(ArtifactBidRowSerializer(rows, many=True).data)

    @extend_schema(
        summary="Bid on one artifact (eager, willing, reluctant or conflict)",
        parameters=[NUMBER],
        request=ArtifactBidInputSerializer,
        responses={200: ArtifactBidInputSerializer},
    )
    def update(self, request, *args, **kwargs):
        artifact = get_object_or_404(
            queries.for_bidding(request.user, self.conference),
            submission__number=kwargs["number"],
        )
        data = ArtifactBidInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        bid = services.place_bid(
            artifact, actor=self.viewer, preference=data.validated_data["preference"]
        )
        return Response({"preference": bid.preference})


class MyArtifactSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="artifact.submission.number")
    title = serializers.CharField(source="artifact.submission.title")
    status = serializers.CharField(source="artifact.status")
    alias = serializers.CharField(source="display_alias")
    next = serializers.SerializerMethodField()
    author_messages = serializers.IntegerField(source="n_author_messages", default=0)
    evaluator_messages = serializers.IntegerField(source="n_evaluator_messages", default=0)

    def get_next(self, assignment) -> str:
        return queries.next_step(assignment)


@extend_schema(tags=TAGS, parameters=[CONFERENCE])
class MineViewSet(EvaluatorViewSet):
    serializer_class = MyArtifactSerializer

    @extend_schema(summary="The artifacts you evaluate, with your alias and what is next")
    def list(self, request, *args, **kwargs):
        conflicted = conflicted_artifact_submission_ids(self.viewer, self.conference)
        rows = [
            a
            for a in queries.my_assignments(request.user, self.conference)
            if a.artifact.submission_id not in conflicted
        ]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(MyArtifactSerializer(page, many=True).data)


# --- AE chairs ---------------------------------------------------------------------------------


class EvaluatorAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    alias = serializers.CharField()
    evaluator = serializers.IntegerField(help_text="The evaluator's user id.")
    name = serializers.CharField()
    bid = serializers.CharField(allow_blank=True)
    fits = serializers.BooleanField()
    why_not = serializers.ListField(child=serializers.CharField())


class EvaluatorAddSerializer(serializers.Serializer):
    number = serializers.IntegerField(
        min_value=1, max_value=MAX_INT, help_text="The paper's number."
    )
    evaluator = serializers.IntegerField(
        min_value=1, max_value=MAX_INT, help_text="The evaluator's user id."
    )
    override = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        default="",
        help_text="Required to assign an evaluator whose hardware does not fit: why.",
    )


class EvaluatorPairSerializer(serializers.Serializer):
    artifact = serializers.IntegerField(
        min_value=1, max_value=MAX_INT, help_text="The artifact's id."
    )
    evaluator = serializers.IntegerField(
        min_value=1, max_value=MAX_INT, help_text="The evaluator's user id."
    )


class ProposedEvaluatorPairSerializer(EvaluatorPairSerializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    bid = serializers.CharField(allow_blank=True)


class EvaluatorShortfallSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    needed = serializers.IntegerField()
    open = serializers.IntegerField()
    reason = serializers.CharField()


class EvaluatorProposalSerializer(serializers.Serializer):
    pairs = ProposedEvaluatorPairSerializer(many=True)
    shortfalls = EvaluatorShortfallSerializer(many=True)
    hidden = serializers.IntegerField(help_text="Artifacts you are conflicted with, left out.")
    digest = serializers.CharField(help_text="Send it back with the pairs to commit.")


class EvaluatorCommitSerializer(serializers.Serializer):
    pairs = EvaluatorPairSerializer(many=True, max_length=solving.MAX_COMMIT_PAIRS)
    digest = serializers.CharField(max_length=64)


class KickTheTiresStartSerializer(serializers.Serializer):
    numbers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_INT),
        required=False,
        default=list,
        max_length=1000,
    )
    all = serializers.BooleanField(required=False, default=False)


class EvaluatorRemoveSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(required=False, default=False)


@extend_schema(tags=TAGS, parameters=[CONFERENCE])
class AssignmentViewSet(ConferenceScopedGenericViewSet):
    """Evaluator assignments (AE chairs only; anyone else gets 404)."""

    permission_map = {"view": "artifacts.manage_ae", "write": "artifacts.manage_ae"}
    permission_denied_message = "Only the AE chairs assign evaluators."
    conference_schedule = True
    pagination_class = Pagination
    serializer_class = EvaluatorAssignmentSerializer

    def get_queryset(self):
        return EvaluatorAssignment.objects.none()

    @property
    def conflicted(self) -> frozenset[int]:
        return conflicted_artifact_submission_ids(self.viewer, self.conference)

    def _artifact(self, number) -> Artifact:
        artifact = get_object_or_404(
            Artifact.objects.select_related("submission"),
            conference=self.conference,
            submission__number=number,
        )
        artifact.conference = self.conference
        if not self.viewer.has_perm("artifacts.act_on_artifact", artifact):
            raise Http404
        return artifact

    @extend_schema(summary="Live assignments (not on artifacts you are conflicted with)")
    def list(self, request, *args, **kwargs):
        conflicted = self.conflicted
        artifacts = [
            a for a in queries.chair_artifacts(self.conference) if a.submission_id not in conflicted
        ]
        pool = pools.load(self.conference, artifacts)
        rows = []
        for artifact in artifacts:
            for a in pool.live(artifact):
                ok, reasons = pool.fit(artifact, a.evaluator_id)
                rows.append(
                    {
                        "id": a.pk,
                        "number": artifact.submission.number,
                        "alias": a.alias,
                        "evaluator": a.evaluator_id,
                        "name": a.evaluator.name or a.evaluator.email,
                        "bid": pool.bid(artifact, a.evaluator_id),
                        "fits": ok,
                        "why_not": reasons,
                    }
                )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(EvaluatorAssignmentSerializer(page, many=True).data)

    @extend_schema(
        summary="Add an evaluator by hand (a hardware misfit needs `override`)",
        request=EvaluatorAddSerializer,
        responses={201: EvaluatorAssignmentSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = EvaluatorAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        artifact = self._artifact(data.validated_data["number"])
        pool = pools.load(self.conference, [artifact])
        evaluator = pool.evaluators.get(data.validated_data["evaluator"])
        if evaluator is None:
            raise ValidationError({"evaluator": ["Not an accepted AE evaluator here."]})
        assignment = services.add_evaluator(
            artifact, evaluator.user, actor=self.viewer, override=data.validated_data["override"]
        )
        ok, reasons = pool.fit(artifact, evaluator.user.pk)
        row = {
            "id": assignment.pk,
            "number": artifact.submission.number,
            "alias": assignment.alias,
            "evaluator": evaluator.user.pk,
            "name": evaluator.name,
            "bid": pool.bid(artifact, evaluator.user.pk),
            "fits": ok,
            "why_not": reasons,
        }
        return Response(EvaluatorAssignmentSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove an evaluator (deleted without work; retired, work kept, with confirm)",
        request=EvaluatorRemoveSerializer,
        responses={
            200: OpenApiResponse(description='`{"outcome": "deleted" | "retired"}`'),
            409: OpenApiResponse(
                description="The assignment carries work (`current.work` names it); send "
                "`confirm: true` to retire it keeping the work."
            ),
        },
    )
    def destroy(self, request, *args, **kwargs):
        assignment = get_object_or_404(
            EvaluatorAssignment.objects.live().select_related("artifact__submission"),
            artifact__conference=self.conference,
            pk=kwargs["pk"],
        )
        artifact = self._artifact(assignment.artifact.submission.number)
        assignment.artifact = artifact
        data = EvaluatorRemoveSerializer(data=request.data or request.query_params)
        data.is_valid(raise_exception=True)
        try:
            outcome = services.remove_evaluator(
                assignment, actor=self.viewer, confirm=data.validated_data["confirm"]
            )
        except services.ConfirmationNeeded as exc:
            raise Conflict(" ".join(exc.messages), current={"work": exc.work}) from exc
        return Response({"outcome": outcome})

    @extend_schema(
        summary="Run the solver: the proposed pairs, what stays open and why, and a digest",
        request=None,
        responses={200: EvaluatorProposalSerializer},
    )
    def run(self, request, *args, **kwargs):
        proposal = solving.propose(self.conference, actor=self.viewer)
        return Response(
            EvaluatorProposalSerializer(
                {
                    "pairs": [
                        {
                            "artifact": p.artifact.pk,
                            "evaluator": p.evaluator.user.pk,
                            "number": p.artifact.submission.number,
                            "name": p.evaluator.name,
                            "bid": p.bid,
                        }
                        for p in proposal.pairs
                    ],
                    "shortfalls": [
                        {
                            "number": s.artifact.submission.number,
                            "needed": s.needed,
                            "open": s.open,
                            "reason": s.reason,
                        }
                        for s in proposal.shortfalls
                    ],
                    "hidden": proposal.hidden,
                    "digest": proposal.digest,
                }
            ).data
        )

    @extend_schema(
        summary="Commit a run's pairs (refused with 400 when the data changed since the run)",
        request=EvaluatorCommitSerializer,
        responses={200: OpenApiResponse(description='`{"created": n}`')},
    )
    def commit(self, request, *args, **kwargs):
        data = EvaluatorCommitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = solving.commit(
            self.conference,
            actor=self.viewer,
            pairs=[(p["artifact"], p["evaluator"]) for p in data.validated_data["pairs"]],
            digest=data.validated_data["digest"],
        )
        return Response({"created": created})

    @extend_schema(
        summary="Start kick-the-tires for submitted artifacts with all their evaluators",
        request=KickTheTiresStartSerializer,
        responses={200: OpenApiResponse(description='`{"started": [n], "skipped": [...]}`')},
    )
    def kick_the_tires(self, request, *args, **kwargs):
        data = KickTheTiresStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        qs = queries.chair_artifacts(self.conference)
        if data.validated_data["all"]:
            chosen = list(qs.filter(status=enums.ArtifactStatus.SUBMITTED))
        else:
            chosen = list(qs.filter(submission__number__in=data.validated_data["numbers"]))
        conflicted = self.conflicted
        for artifact in chosen:
            artifact.conference = self.conference
        started, skipped = services.start_kick_the_tires(
            [a for a in chosen if a.submission_id not in conflicted], actor=self.viewer
        )
        return Response(
            {
                "started": [a.submission.number for a in started],
                "skipped": [{"number": a.submission.number, "reason": why} for a, why in skipped]
                # A conflicted chair is told only that it was not theirs to start.
                + [
                    {"number": a.submission.number, "reason": "You are conflicted with it."}
                    for a in chosen
                    if a.submission_id in conflicted
                ],
            }
        )

"""Evaluation API under /api/v1/conferences/<slug>/artifacts/<number>/: the two threads, the
caller's kick-the-tires checklist, the caller's evaluation with its verdicts, the lead's
proposal and the AE chair's decision and publication — the same queries and services as the
artifact page.

An artifact the caller may not see answers 404 (outsiders, unassigned evaluators, other
papers' authors, conflicted AE chairs), and so does the evaluators-only thread to its authors;
an action the caller may not take answers 403 with the service's sentence. Nothing an author
receives names an evaluator: senders are aliases and no user id is ever serialised.
Badges are named by their key ("available", "functional", …).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from artifacts import enums
from artifacts.evaluation import decide, queries, services
from artifacts.models import Artifact, KickTheTiresCheck
from mlsys.conferences.api.views import ConferenceScopedGenericViewSet
from submissions.api.viewsets import CONFERENCE, NUMBER

TAGS = ["artifact evaluation"]
THREAD = OpenApiParameter(
    "thread",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=enums.Thread.values,
    description="`authors` (authors and evaluators) or `evaluators` (evaluators only).",
)


class AEMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    sender = serializers.CharField(
        read_only=True, help_text="An alias (“Evaluator A”, “The AE chairs”) or “The authors”."
    )
    role = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    body = serializers.CharField(max_length=services.MAX_BODY, help_text="Markdown or text.")
    created_at = serializers.DateTimeField(read_only=True)
    is_own = serializers.BooleanField(read_only=True)


class AEKickCheckSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.BooleanField(),
        help_text="Checklist item key → ticked: "
        + ", ".join(k for k, _ in enums.KICK_THE_TIRES_ITEMS),
    )
    notes = serializers.CharField(allow_blank=True, required=False, default="")
    done = serializers.BooleanField(required=False, default=False)


class AEVerdictSerializer(serializers.Serializer):
    badge = serializers.CharField(help_text="The badge's key.")
    verdict = serializers.ChoiceField(choices=[("", "open"), *enums.Verdict.choices])
    justification = serializers.CharField(allow_blank=True, required=False, default="")


class AEEvaluationSerializer(serializers.Serializer):
    alias = serializers.CharField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    editable = serializers.BooleanField(read_only=True)
    to_authors = serializers.CharField(allow_blank=True, required=False, default="")
    to_evaluators = serializers.CharField(allow_blank=True, required=False, default="")
    verdicts = AEVerdictSerializer(many=True, required=False, default=list)


class AEProposalSerializer(serializers.Serializer):
    proposals = serializers.DictField(
        child=serializers.ChoiceField(choices=[("", "open"), *enums.Verdict.choices]),
        help_text="Badge key → award / do_not_award.",
    )
    note = serializers.CharField(allow_blank=True, required=False, default="")


class AEDecisionSerializer(serializers.Serializer):
    outcomes = serializers.DictField(
        child=serializers.ChoiceField(
            choices=[enums.BadgeOutcome.AWARDED, enums.BadgeOutcome.NOT_AWARDED]
        ),
        help_text="Badge key → awarded / not_awarded, for every requested badge.",
    )
    public_report = serializers.CharField(allow_blank=True, required=False, default="")


class AEStatusSerializer(serializers.Serializer):
    status = serializers.CharField()


class EvaluationViewSet(ConferenceScopedGenericViewSet):
    """One artifact's evaluation, addressed by its paper's number."""

    permission_map = {
        "view": "conferences.view_conference",
        # Who may write is the artifact's business: the services check it.
        "write": "conferences.view_conference",
    }
    pagination_class = None
    filter_backends: list = []
    serializer_class = AEMessageSerializer

    def get_queryset(self):
        return Artifact.objects.none()

    def artifact(self) -> Artifact:
        if not hasattr(self, "_artifact"):
            artifact = get_object_or_404(
                Artifact.objects.select_related("submission", "lead"),
                conference=self.conference,
                submission__number=self.kwargs["number"],
            )
            artifact.conference = self.conference
            artifact.submission.conference = self.conference
            if not self.viewer.has_perm("artifacts.view_artifact", artifact):
                raise Http404
            self._artifact = artifact
        return self._artifact

    def _badges(self, artifact) -> dict[str, int]:
        return {
            rb.badge.key: rb.badge_id for rb in artifact.requested_badges.select_related("badge")
        }

    def _by_id(self, artifact, mapping: dict, what: str) -> dict[int, object]:
        keys = self._badges(artifact)
        unknown = sorted(set(mapping) - set(keys))
        if unknown:
            raise ValidationError(
                {what: [f"Not requested by this artifact: {', '.join(unknown)}."]}
            )
        return {keys[k]: v for k, v in mapping.items()}

    # --- Threads ------------------------------------------------------------------------------

    def _thread(self, artifact) -> str:
        thread = self.kwargs["thread"]
        if thread not in services.THREAD_PERMS:
            raise Http404
        if not self.viewer.has_perm(services.THREAD_PERMS[thread][0], artifact):
            raise Http404
        return thread

    def _messages(self, artifact, thread) -> list[dict]:
        return [
            {
                "id": m.pk,
                "sender": m.who,
                "role": m.role,
                "kind": m.kind,
                "body": m.body,
                "created_at": m.created_at,
                "is_own": m.is_own,
            }
            for m in queries.thread_messages(self.viewer, artifact, thread)
        ]

    @extend_schema(
        tags=TAGS,
        parameters=[CONFERENCE, NUMBER, THREAD],
        responses={200: AEMessageSerializer(many=True)},
        summary="The messages of one of the artifact's threads, oldest first",
    )
    def messages(self, request, *args, **kwargs):
        artifact = self.artifact()
        return Response(
            AEMessageSerializer(self._messages(artifact, self._thread(artifact)), many=True).data
        )

    @extend_schema(
        tags=TAGS,
        parameters=[CONFERENCE, NUMBER, THREAD],
        request=AEMessageSerializer,
        responses={201: AEMessageSerializer},
        summary="Post in a thread (the other side is emailed; evaluators by alias only)",
    )
    def post_message(self, request, *args, **kwargs):
        artifact = self.artifact()
        thread = self._thread(artifact)
        data = AEMessageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.post_message(
            actor=self.viewer, artifact=artifact, thread=thread, body=data.validated_data["body"]
        )
        row = next(r for r in self._messages(artifact, thread) if r["id"] == message.pk)
        return Response(AEMessageSerializer(row).data, status=status.HTTP_201_CREATED)

    # --- Kick-the-tires -------------------------------------------------------------------------

    def _own_assignment(self, artifact):
        assignment = services.live_assignment(artifact, self.viewer.user)
        if assignment is None:
            raise Http404
        return assignment

    @extend_schema(
        tags=TAGS,
        parameters=[CONFERENCE, NUMBER],
        responses={200: AEKickCheckSerializer},
        summary="Your kick-the-tires checklist (evaluators)",
    )
    def kick_check(self, request, *args, **kwargs):
        artifact = self.artifact()
        check = KickTheTiresCheck.objects.filter(assignment=self._own_assignment(artifact)).first()
        answers = (check.answers if check else {}) or {}
        return Response(
            {
                "answers": {k: bool(answers.get(k)) for k, _ in enums.KICK_THE_TIRES_ITEMS},
                "notes": check.notes if check else "",
                "done": bool(check and check.submitted_at),
            }
        )

    @extend_schema(
        tags=TAGS,
        parameters=[CONFERENCE, NUMBER],
        request=AEKickCheckSerializer,
        responses={200: AEKickCheckSerializer},
        summary="Save your kick-the-tires checklist (while in kick-the-tires)",
    )
    def save_kick_check(self, request, *args, **kwargs):
        artifact = self.artifact()
        self._own_assignment(artifact)
        data = AEKickCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.save_kick_check(actor=self.viewer, artifact=artifact, **data.validated_data)
        return self.kick_check(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        parameters=[CONFERENCE, NUMBER],
        request=AEMessageSerializer,
        responses={201: AEStatusSerializer},
        summary="Send the evaluators' combined kick-the-tires message to the authors",
    )
    def kick_message(self, request, *args, **kwargs):
        artifact = self.artifact()
        data = AEMessageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.post_kick_message(
            actor=self.viewer, artifact=artifact, body=data.validated_data["body"]
        )
        return Response({"status": artifact.status}, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        parameters=[CONFERENCE, NUMBER],
        request=AEMessageSerializer,
        responses={201: AEStatusSerializer},
        summary="The authors answer the kick-the-tires message (“please look again”)",
    )
    def kick_answer(self, request, *args, **kwargs):
        artifact = self.artifact()
        data = AEMessageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.answer_kick_message(
            actor=self.viewer, artifact=artifact, body=data.validated_data["body"]
        )
        return Response({"status": artifact.status}, status=status.HTTP_201_CREATED)

    # --- The caller's evaluation ------------------------------------------------------------------

    def _evaluation_data(self, artifact) -> dict:
        assignment = self._own_assignment(artifact)
        evaluation = queries.own_evaluation(artifact, self.viewer.user)
        return {
            "alias": assignment.display_alias,
            "submitted_at": evaluation.submitted_at if evaluation else None,
            "editable": services.evaluation_open(artifact)
            and self.viewer.has_perm("artifacts.evaluate", artifact),
            "to_authors": evaluation.to_authors if evaluation else "",
            "to_evaluators": evaluation.to_evaluators if evaluation else "",
            "verdicts": [
                {"badge": v.badge.key, "verdict": v.verdict, "justification": v.justification}
                for v in (evaluation.verdicts.all() if evaluation else [])
            ],
        }

    @extend_schema(
        tags=TAGS,
        parameters=[CONFERENCE, NUMBER],
        responses={200: AEEvaluationSerializer},
        summary="Your evaluation of the artifact with its verdicts (evaluators)",
    )
    def evaluation(self, request, *args, **kwargs):
        return Response(AEEvaluationSerializer(self._evaluation_data(self.artifact())).data)

    def _save(self, request, submit: bool):
        artifact = self.artifact()
        self._own_assignment(artifact)
        if submit and not request.data:
            stored = self._evaluation_data(artifact)
            payload = {k: stored[k] for k in ("to_authors", "to_evaluators", "verdicts")}
        else:
            payload = request.data
        data = AEEvaluationSerializer(data=payload)
        data.is_valid(raise_exception=True)
        given = {v["badge"]: v for v in data.validated_data["verdicts"]}
        verdicts = self._by_id(artifact, given, "verdicts")
        services.save_evaluation(
            actor=self.viewer,
            artifact=artifact,
            to_authors=data.validated_data["to_authors"],
            to_evaluators=data.validated_data["to_evaluators"],
            verdicts={
                pk: services.VerdictInput(v["verdict"], v["justification"])
                for pk, v in verdicts.items()
            },
            submit=submit,
        )
        artifact.refresh_from_db(fields=["status"])
        return Response(AEEvaluationSerializer(self._evaluation_data(artifact)).data)

    @extend_schema(
        tags=TAGS,
        parameters=[CONFERENCE, NUMBER],
        request=AEEvaluationSerializer,
        responses={200: AEEvaluationSerializer},
        summary="Save your evaluation (a draft, or an edit of a submitted one)",
    )
    def save_evaluation(self, request, *args, **kwargs):
        return self._save(request, submit=False)

    @extend_schema(
        tags=TAGS,
        parameters=[CONFERENCE, NUMBER],
        request=AEEvaluationSerializer,
        responses={200: AEEvaluationSerializer},
        summary="Submit your evaluation (with this body, or as saved when the body is empty)",
    )
    def submit_evaluation(self, request, *args, **kwargs):
        return self._save(request, submit=True)

    # --- Lead and chair ------------------------------------------------------------------------

    @extend_schema(
        tags=TAGS,
        parameters=[CONFERENCE, NUMBER],
        request=AEProposalSerializer,
        responses={200: AEProposalSerializer},
        summary="The discussion lead's proposal per requested badge",
    )
    def proposal(self, request, *args, **kwargs):
        artifact = self.artifact()
        data = AEProposalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decide.propose(
            actor=self.viewer,
            artifact=artifact,
            proposals=self._by_id(artifact, data.validated_data["proposals"], "proposals"),
            note=data.validated_data["note"],
        )
        return Response(data.validated_data)

    @extend_schema(
        tags=TAGS,
        parameters=[CONFERENCE, NUMBER],
        request=AEDecisionSerializer,
        responses={200: AEStatusSerializer},
        summary="Decide every requested badge and write the public report (AE chairs)",
    )
    def decision(self, request, *args, **kwargs):
        artifact = self.artifact()
        data = AEDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decide.decide(
            actor=self.viewer,
            artifact=artifact,
            outcomes=self._by_id(artifact, data.validated_data["outcomes"], "outcomes"),
            public_report=data.validated_data["public_report"],
        )
        return Response({"status": artifact.status})

    @extend_schema(
        tags=TAGS,
        parameters=[CONFERENCE, NUMBER],
        request=None,
        responses={200: AEStatusSerializer},
        summary="Publish the decided badges (the authors are emailed; AE chairs)",
    )
    def publish(self, request, *args, **kwargs):
        artifact = self.artifact()
        decide.publish(actor=self.viewer, artifact=artifact)
        return Response({"status": artifact.status})

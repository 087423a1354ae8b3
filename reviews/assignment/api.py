"""Assignment API for chairs: proposals (solve, status, pairs, commit, discard, undo) and the
release of assignments. The same rules and services as the chairs' assignment pages
(``reviews.manage_assignments``, anyone else gets 404); a chair conflicted with a paper sees
none of its pairs, as on the proposal page.

The pages' confirmations become API answers: undoing a commit whose assignments carry
reviewers' work after release is refused with 409 and the list of those pairs (``current.kept``)
until the request gives each one's fate (``fates``) or one for all (``fate_all``).
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from mlsys.core.api.pagination import Pagination
from mlsys.core.errors import Conflict
from reviews.api.base import PK, ReviewingMixin
from reviews.assignment import queries, services
from reviews.assignment.forms import SolveForm
from reviews.enums import PairChange, ProposalStatus
from reviews.models import AssignmentProposal
from reviews.rules import conflicted_submission_ids
from submissions.api.viewsets import CONFERENCE

TAGS = ["assignment"]
FATE_CHOICES = list(services.FATES.items())
SHOWN_PAIRS = (ProposalStatus.READY, ProposalStatus.COMMITTED, ProposalStatus.UNDONE)


class ProposalSerializer(serializers.ModelSerializer):
    track = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    created_by = serializers.CharField(source="created_by.name", read_only=True, default=None)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    in_progress = serializers.SerializerMethodField()

    class Meta:
        model = AssignmentProposal
        fields = [
            "id",
            "status",
            "status_label",
            "in_progress",
            "progress",
            "message",
            "track",
            "params",
            "created_by",
            "created_at",
            "committed_at",
        ]
        read_only_fields = fields

    def get_in_progress(self, obj) -> bool:
        return obj.status in queries.IN_PROGRESS


class ProposalDetailSerializer(ProposalSerializer):
    report = serializers.SerializerMethodField(
        help_text="The solver's report per track (as on the proposal page)."
    )
    hidden_papers = serializers.SerializerMethodField(
        help_text="Papers of the proposal you are conflicted with (not shown to you)."
    )

    class Meta(ProposalSerializer.Meta):
        fields = [*ProposalSerializer.Meta.fields, "report", "hidden_papers"]
        read_only_fields = fields

    def get_report(self, obj) -> list[dict]:
        return queries.report_without_conflicted(
            obj.report.get("tracks", []), self.context["conflicted"]
        )

    def get_hidden_papers(self, obj) -> int:
        if obj.status not in SHOWN_PAIRS or not self.context["conflicted"]:
            return 0
        return (
            obj.pairs.filter(submission_id__in=self.context["conflicted"])
            .values("submission_id")
            .distinct()
            .count()
        )


class SolveSerializer(serializers.Serializer):
    """The solve form's fields (checked by the same form, with its messages)."""

    track = serializers.CharField(
        required=False, allow_blank=True, help_text="A track's slug; omit for every track."
    )
    w_affinity = serializers.FloatField(required=False, default=1.0)
    w_bid = serializers.FloatField(required=False, default=1.0)
    w_topic = serializers.FloatField(required=False, default=0.5)
    expertise_threshold = serializers.FloatField(required=False, allow_null=True, default=None)
    quality_threshold = serializers.FloatField(required=False, allow_null=True, default=0.0)


class PairSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    reviewer = serializers.IntegerField(help_text="The reviewer's user id.")
    name = serializers.CharField()
    side = serializers.CharField(help_text="ML, SYSTEMS, BOTH or empty (left the pool).")
    change = serializers.ChoiceField(choices=PairChange.choices)
    quality = serializers.FloatField()
    problems = serializers.ListField(
        child=serializers.CharField(), help_text="The paper's coverage problems, if any."
    )


class CommitResultSerializer(serializers.Serializer):
    added = serializers.IntegerField()
    removed = serializers.IntegerField()
    kept = serializers.IntegerField(help_text="Of the removed: retired, their work kept.")
    proposal = ProposalSerializer()


class UndoInputSerializer(serializers.Serializer):
    fates = serializers.DictField(
        child=serializers.ChoiceField(choices=FATE_CHOICES),
        required=False,
        default=dict,
        help_text="{assignment id: fate} for the kept pairs listed by the 409.",
    )
    fate_all = serializers.ChoiceField(
        choices=FATE_CHOICES,
        required=False,
        allow_blank=True,
        default="",
        help_text="The fate of every kept pair without one of its own.",
    )

    def validate_fates(self, value):
        out = {}
        for key, fate in value.items():
            if not str(key).isascii() or not str(key).isdigit() or len(str(key)) > 18:
                raise serializers.ValidationError(f"“{key}” is not an assignment id.")
            out[int(key)] = fate
        return out


class KeptPairSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()
    number = serializers.IntegerField()
    reviewer = serializers.IntegerField()
    name = serializers.CharField()
    released = serializers.BooleanField()
    work = serializers.ListField(child=serializers.CharField())


class UndoPreviewSerializer(serializers.Serializer):
    can_undo = serializers.BooleanField(help_text="Only the latest commit can be undone.")
    delete = serializers.IntegerField(help_text="Assignments without work, deleted.")
    restore = serializers.IntegerField(help_text="Assignments the commit removed, restored.")
    kept = KeptPairSerializer(many=True)
    hidden = serializers.IntegerField(help_text="Pairs on papers you are conflicted with.")
    blocked = serializers.BooleanField(
        help_text="The commit gave released reviews to papers you are conflicted with: "
        "another chair must undo it."
    )


class UndoResultSerializer(serializers.Serializer):
    deleted = serializers.IntegerField()
    restored = serializers.IntegerField()
    kept = serializers.IntegerField()
    retired = serializers.IntegerField()
    proposal = ProposalSerializer()


class ReleaseResultSerializer(serializers.Serializer):
    reviewers_emailed = serializers.IntegerField()


def _kept_rows(kept) -> list[dict]:
    return [
        {
            "assignment": a.pk,
            "number": a.submission.number,
            "reviewer": a.reviewer_id,
            "name": a.reviewer.name,
            "released": a.released,
            "work": work,
        }
        for a, work in kept
    ]


class ChairAssignmentMixin(ReviewingMixin):
    """Chairs only (``reviews.manage_assignments``): anyone else gets 404."""

    permission_map = {"view": "reviews.manage_assignments"}

    @property
    def conflicted(self) -> frozenset[int]:
        return conflicted_submission_ids(self.viewer, self.conference)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if hasattr(self, "conference"):
            context["conflicted"] = self.conflicted
        return context


@extend_schema(tags=TAGS)
class ProposalViewSet(ChairAssignmentMixin, viewsets.GenericViewSet):
    """Assignment proposals (chairs only; anyone else gets 404). A proposal is one solver run:
    queued → solving → ready (or infeasible, failed) → committed → undone; discarded at any
    point before commit. Pairs on papers you are conflicted with are never shown."""

    serializer_class = ProposalSerializer
    pagination_class = Pagination

    def get_queryset(self):
        if self.is_schema():
            return AssignmentProposal.objects.none()
        return AssignmentProposal.objects.filter(conference=self.conference).select_related(
            "track", "created_by"
        )

    def _detail(self, proposal) -> dict:
        return ProposalDetailSerializer(proposal, context=self.get_serializer_context()).data

    @extend_schema(parameters=[CONFERENCE], summary="Proposals, newest first")
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset().order_by("-created_at", "-pk"))
        return self.get_paginated_response(ProposalSerializer(page, many=True).data)

    @extend_schema(
        parameters=[CONFERENCE],
        request=SolveSerializer,
        responses={202: ProposalDetailSerializer},
        summary="Solve: store a queued proposal and start the solver (poll its status)",
    )
    def create(self, request, *args, **kwargs):
        incoming = SolveSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        tracks = list(self.conference.tracks.all())
        by_slug = {t.slug: t for t in tracks}
        slug = data.pop("track", "") or ""
        if slug and slug not in by_slug:
            raise serializers.ValidationError(
                {"track": [f"No track “{slug}”; the tracks are {', '.join(by_slug)}."]}
            )
        form_data = {k: "" if v is None else v for k, v in data.items()}
        form = SolveForm(
            {**form_data, "scope": str(by_slug[slug].pk) if slug else ""}, tracks=tracks
        )
        if not form.is_valid():
            raise serializers.ValidationError(
                {
                    ("non_field_errors" if key == "__all__" else key): messages
                    for key, messages in form.errors.items()
                }
            )
        proposal = services.create_proposal(
            self.conference, actor=self.viewer.user, track=form.track(), params=form.params()
        )
        proposal.refresh_from_db()
        return Response(self._detail(proposal), status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        parameters=[CONFERENCE, PK],
        responses={200: ProposalDetailSerializer},
        summary="A proposal's status, progress and report",
    )
    def retrieve(self, request, *args, **kwargs):
        return Response(self._detail(self.get_object()))

    @extend_schema(
        parameters=[CONFERENCE, PK],
        responses={200: PairSerializer(many=True)},
        summary="The proposal's pairs by paper: new, kept and removed (not your conflicts)",
    )
    @action(detail=True, methods=["get"])
    def pairs(self, request, *args, **kwargs):
        proposal = self.get_object()
        papers = queries.proposal_papers(proposal) if proposal.status in SHOWN_PAIRS else []
        rows = [
            {
                "number": row.submission.number,
                "title": row.submission.title,
                "reviewer": pair.user_id,
                "name": pair.user.name,
                "side": reviewer.side if reviewer else "",
                "change": pair.change,
                "quality": pair.quality,
                "problems": row.problems,
            }
            for row in papers
            if row.submission.pk not in self.conflicted
            for pair, reviewer in row.reviewers
        ]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(PairSerializer(page, many=True).data)

    @extend_schema(
        parameters=[CONFERENCE, PK],
        request=None,
        responses={200: CommitResultSerializer},
        summary="Commit a ready proposal: its pairs become assignments",
    )
    @action(detail=True, methods=["post"])
    def commit(self, request, *args, **kwargs):
        proposal = self.get_object()
        counts = services.commit_proposal(proposal, actor=self.viewer.user)
        proposal.refresh_from_db()
        return Response(CommitResultSerializer({**counts, "proposal": proposal}).data)

    @extend_schema(
        parameters=[CONFERENCE, PK],
        request=None,
        responses={200: ProposalSerializer},
        summary="Discard a proposal that is not committed",
    )
    @action(detail=True, methods=["post"])
    def discard(self, request, *args, **kwargs):
        proposal = self.get_object()
        services.discard_proposal(proposal, actor=self.viewer.user)
        proposal.refresh_from_db()
        return Response(ProposalSerializer(proposal).data)

    def _preview(self, proposal) -> dict:
        preview = services.undo_preview(proposal)
        conflicted = self.conflicted
        keep = [(a, w) for a, w in preview["keep"] if a.submission_id not in conflicted]
        delete = [a for a in preview["delete"] if a.submission_id not in conflicted]
        last = services.last_commit(self.conference)
        return {
            "can_undo": last is not None and last.pk == proposal.pk,
            "delete": len(delete),
            "restore": preview["restore"],
            "kept": _kept_rows(keep),
            "hidden": len(preview["delete"]) + len(preview["keep"]) - len(delete) - len(keep),
            "blocked": any(
                a.released and a.submission_id in conflicted for a, _ in preview["keep"]
            ),
        }

    @extend_schema(
        parameters=[CONFERENCE, PK],
        responses={200: UndoPreviewSerializer},
        summary="What undoing this commit would do (the undo page's confirmation)",
    )
    @action(detail=True, methods=["get"], url_path="undo-preview")
    def undo_preview(self, request, *args, **kwargs):
        return Response(UndoPreviewSerializer(self._preview(self.get_object())).data)

    @extend_schema(
        parameters=[CONFERENCE, PK],
        request=UndoInputSerializer,
        responses={
            200: UndoResultSerializer,
            409: OpenApiResponse(
                description="Released assignments of this commit carry reviewers' work: "
                "`current.kept` lists them; send a fate for each in `fates` or `fate_all`."
            ),
        },
        summary="Undo the latest commit (fates for released pairs with work)",
    )
    @action(detail=True, methods=["post"])
    def undo(self, request, *args, **kwargs):
        proposal = self.get_object()
        incoming = UndoInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        preview = self._preview(proposal)
        if preview["blocked"]:
            raise PermissionDenied(
                "This commit gave reviews to papers you are conflicted with; another chair "
                "must undo it."
            )
        visible = {row["assignment"] for row in preview["kept"]}
        fates = {k: v for k, v in incoming.validated_data["fates"].items() if k in visible}
        try:
            counts = services.undo_commit(
                proposal,
                actor=self.viewer.user,
                fates=fates,
                default_fate=incoming.validated_data["fate_all"] or None,
            )
        except services.ConfirmationNeeded as exc:
            kept = [row for row in preview["kept"] if row["assignment"] in exc.work]
            raise Conflict(
                " ".join(exc.messages), current={"kept": kept, "fates": list(services.FATES)}
            ) from exc
        proposal.refresh_from_db()
        return Response(UndoResultSerializer({**counts, "proposal": proposal}).data)


@extend_schema(tags=TAGS)
class ReleaseViewSet(ChairAssignmentMixin, viewsets.GenericViewSet):
    """Release assignments to reviewers (chairs only; anyone else gets 404)."""

    serializer_class = ReleaseResultSerializer

    @extend_schema(
        parameters=[CONFERENCE],
        request=None,
        responses={200: ReleaseResultSerializer},
        summary="Release every unreleased assignment: each reviewer is emailed their list",
    )
    def create(self, request, *args, **kwargs):
        count = services.release_assignments(self.conference, actor=self.viewer.user)
        return Response(ReleaseResultSerializer({"reviewers_emailed": count}).data)

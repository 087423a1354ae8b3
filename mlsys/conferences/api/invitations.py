"""Committee invitations through the API: list, invite one person, invite many (the CSV of the
import page, all or nothing), resend, revoke. Chairs only (everyone else gets 404, as on the
committee page); every write calls mlsys.conferences.invitations, the pages' services, so the
emails, audit events and refusals are the same."""

import csv
import io

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from mlsys.conferences import enums, invitations
from mlsys.conferences.api.serializers import MemberUserSerializer
from mlsys.conferences.api.views import CONFERENCE_SLUG, ConferenceScopedGenericViewSet
from mlsys.conferences.invitation_csv import COLUMNS, MAX_LOAD_LIMIT, MAX_ROWS, Invitee
from mlsys.conferences.models import CommitteeMembership
from mlsys.conferences.queries import users_by_email

TAGS = ["committee invitations"]


class InvitationSerializer(serializers.ModelSerializer):
    user = MemberUserSerializer(read_only=True)
    invited_by = serializers.CharField(
        source="invited_by.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = CommitteeMembership
        fields = [
            "id",
            "user",
            "role",
            "side",
            "max_load",
            "status",
            "invited_at",
            "reminded_at",
            "responded_at",
            "decline_reason",
            "invited_by",
        ]
        read_only_fields = fields


class InviteSerializer(serializers.Serializer):
    """One person to invite (the fields of the invite page)."""

    email = serializers.EmailField()
    name = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Needed only when the address has no account yet.",
    )
    affiliation = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    role = serializers.ChoiceField(choices=enums.Role.choices, default=enums.Role.PC_MEMBER)
    side = serializers.ChoiceField(
        choices=enums.Side.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required for PC members, area chairs and external reviewers; empty otherwise.",
    )
    max_load = serializers.IntegerField(
        min_value=0, max_value=MAX_LOAD_LIMIT, required=False, allow_null=True, default=None
    )

    def validate(self, attrs):
        role, side = attrs["role"], attrs["side"]
        if role in enums.REVIEWING_ROLES and not side:
            raise serializers.ValidationError(
                {"side": ["Reviewers need a side: ML, SYSTEMS or BOTH."]}
            )
        if role not in enums.REVIEWING_ROLES and side:
            raise serializers.ValidationError({"side": ["Only reviewing roles have a side."]})
        attrs["email"] = attrs["email"].strip().lower()
        attrs["name"] = attrs.get("name", "").strip()
        if not attrs["name"] and not users_by_email([attrs["email"]]):
            raise serializers.ValidationError(
                {"name": [f"{attrs['email']} has no account yet: give the person's name."]}
            )
        return attrs

    def invitee(self) -> Invitee:
        data = self.validated_data
        return Invitee(
            name=data["name"],
            email=data["email"],
            affiliation=data["affiliation"].strip(),
            side=data["side"],
            max_load=data["max_load"],
            role=data["role"],
        )


class BulkInviteSerializer(serializers.Serializer):
    """Either the CSV text of the import page, or a list of people (turned into that CSV, so
    the checks and messages are the same; the first person is "row 2")."""

    csv = serializers.CharField(
        required=False,
        help_text=f"CSV with the header row {','.join(COLUMNS)} (name and email required).",
    )
    invitees = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True, allow_null=True)),
        required=False,
        max_length=MAX_ROWS,
        help_text=f"People as objects with the keys {', '.join(COLUMNS)}.",
    )

    def validate(self, attrs):
        if bool(attrs.get("csv")) == bool(attrs.get("invitees")):
            raise serializers.ValidationError("Send either `csv` or a non-empty `invitees` list.")
        for i, row in enumerate(attrs.get("invitees") or []):
            unknown = sorted(set(row) - set(COLUMNS))
            if unknown:
                raise serializers.ValidationError(
                    {"invitees": [f"Person {i + 1}: unknown key “{unknown[0]}”."]}
                )
        return attrs

    def text(self) -> str:
        data = self.validated_data
        if data.get("csv"):
            return data["csv"]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for row in data["invitees"]:
            writer.writerow([row.get(column) or "" for column in COLUMNS])
        return out.getvalue()


@extend_schema(parameters=[CONFERENCE_SLUG], tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="Invitations (pending, accepted, declined); ?status= filters"),
    retrieve=extend_schema(summary="One invitation"),
)
class InvitationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, ConferenceScopedGenericViewSet
):
    """Chairs only: others get 404. Every membership that was invited is listed."""

    permission_map = {
        "view": "conferences.view_committee",
        "write": "conferences.change_conference",
    }
    serializer_class = InvitationSerializer
    filterset_fields = ["status", "role"]

    def get_queryset(self):
        if self.is_schema_request():
            return CommitteeMembership.objects.none()
        return (
            self.conference.memberships.filter(invited_at__isnull=False)
            .select_related("user", "invited_by")
            .order_by("-invited_at", "pk")
        )

    @extend_schema(
        request=InviteSerializer,
        responses={201: InvitationSerializer},
        summary="Invite one person (the invitation email is queued)",
    )
    def create(self, request, *args, **kwargs):
        incoming = InviteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        membership = invitations.invite_member(
            conference=self.conference, invitee=incoming.invitee(), actor=request.user
        )
        return Response(self._data(membership.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=BulkInviteSerializer,
        responses={201: InvitationSerializer(many=True)},
        summary="Invite many people at once: all or nothing, every bad row listed",
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request, *args, **kwargs):
        incoming = BulkInviteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            created = invitations.import_invitations(
                conference=self.conference, text=incoming.text(), actor=request.user
            )
        except ValidationError as exc:
            raise serializers.ValidationError({"rows": exc.messages}) from exc
        rows = self.get_queryset().filter(pk__in=[m.pk for m in created])
        return Response(InvitationSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: InvitationSerializer},
        summary="Send the invitation again (a declined one becomes pending)",
    )
    @action(detail=True, methods=["post"])
    def resend(self, request, *args, **kwargs):
        membership = invitations.resend_invitation(membership=self.get_object(), actor=request.user)
        return Response(self._data(membership.pk))

    @extend_schema(
        request=None,
        responses={204: None},
        summary="Withdraw a pending or declined invitation (its links stop working)",
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, *args, **kwargs):
        invitations.revoke_invitation(membership=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _data(self, pk: int) -> dict:
        return InvitationSerializer(self.get_queryset().get(pk=pk)).data

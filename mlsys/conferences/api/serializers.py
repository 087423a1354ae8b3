"""Conference API representations. Writes are validated here for shape and by the services for
meaning (the same rules and messages as the pages)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mlsys.conferences import services
from mlsys.conferences.creation import NewConference
from mlsys.conferences.enums import DeadlineKind, Phase
from mlsys.conferences.models import AOE, CommitteeMembership, Conference, Deadline, Topic, Track
from mlsys.conferences.setup_copiers import MAX_SHIFT_DAYS


class DeadlineSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Deadline
        fields = ["kind", "label", "at"]


class TrackSerializer(serializers.ModelSerializer):
    class Meta:
        model = Track
        fields = ["id", *services.TRACK_FIELDS]


class TopicSerializer(serializers.ModelSerializer):
    order = serializers.IntegerField(min_value=0, max_value=32767, required=False)

    class Meta:
        model = Topic
        fields = ["id", "name", "area", "order"]


class ConferenceSerializer(serializers.ModelSerializer):
    current_phase = serializers.SerializerMethodField()
    next_deadline = serializers.SerializerMethodField()

    class Meta:
        model = Conference
        fields = [
            "slug",
            "name",
            "short_name",
            "website",
            "timezone",
            "is_public",
            "current_phase",
            "next_deadline",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=Phase.choices))
    def get_current_phase(self, obj: Conference) -> str:
        return obj.timeline().current

    @extend_schema_field(DeadlineSerializer(allow_null=True))
    def get_next_deadline(self, obj: Conference) -> dict | None:
        deadline = obj.timeline().next_deadline
        return DeadlineSerializer(deadline).data if deadline else None


class ConferenceDetailSerializer(ConferenceSerializer):
    open_phases = serializers.SerializerMethodField()
    deadlines = serializers.SerializerMethodField()
    tracks = TrackSerializer(many=True, read_only=True)
    topics = TopicSerializer(many=True, read_only=True)

    class Meta(ConferenceSerializer.Meta):
        fields = [
            *ConferenceSerializer.Meta.fields,
            "description",
            "contact_email",
            "submission_grace_minutes",
            "allow_late_registration",
            "open_phases",
            "deadlines",
            "tracks",
            "topics",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Phase.choices)))
    def get_open_phases(self, obj: Conference) -> list[str]:
        return obj.timeline().open_phases

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, obj: Conference) -> list[dict]:
        by_kind = obj.deadline_map()
        ordered = [by_kind[k] for k in DeadlineKind.values if k in by_kind]
        return DeadlineSerializer(ordered, many=True).data


class MemberUserSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True)


class MembershipSerializer(serializers.ModelSerializer):
    user = MemberUserSerializer(read_only=True)
    email = serializers.EmailField(
        write_only=True, required=False, help_text="On create: the person's email (required)."
    )
    name = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="On create: the name, if the email has no account yet.",
    )

    class Meta:
        model = CommitteeMembership
        fields = [
            "id",
            "user",
            "email",
            "name",
            "role",
            "side",
            "min_load",
            "max_load",
            "status",
            "invited_at",
            "responded_at",
        ]
        read_only_fields = ["invited_at", "responded_at"]

    def validate(self, attrs):
        if self.instance is None and not attrs.get("email"):
            raise serializers.ValidationError({"email": ["This field is required."]})
        if self.instance is not None and "email" in attrs:
            raise serializers.ValidationError(
                {"email": ["The person of a membership cannot be changed; add a new one."]}
            )
        return attrs


class ConferenceCreateSerializer(serializers.Serializer):
    """What site staff send to create a conference (the "New conference" page's fields).
    Meaning is checked by ``creation.check``: the same messages as the page and the command."""

    name = serializers.CharField(max_length=200)
    slug = serializers.CharField(max_length=40, help_text="e.g. `mlsys2028`.")
    timezone = serializers.CharField(
        max_length=60, default=AOE, help_text="An IANA zone; `Etc/GMT+12` (AoE) by default."
    )
    chair_email = serializers.CharField(
        max_length=254, help_text="The first program chair: invited (an account is made if needed)."
    )
    chair_name = serializers.CharField(
        max_length=200,
        required=False,
        default="",
        allow_blank=True,
        help_text="Used only if the address has no account yet.",
    )
    copy_from = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Conference.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Slug of a previous conference whose setup is copied.",
    )
    shift_days = serializers.IntegerField(
        required=False,
        default=0,
        min_value=-MAX_SHIFT_DAYS,
        max_value=MAX_SHIFT_DAYS,
        help_text="Days the copied deadlines move (365: a year later, same time of day).",
    )
    keep_phase_switches = serializers.BooleanField(required=False, default=False)

    def new_conference(self) -> NewConference:
        return NewConference(**self.validated_data)

"""The signed-in person and their API tokens, as the API shows them."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from rest_framework import serializers

from mlsys.accounts.models import AffiliationHistory, ApiToken, Collaborator, User
from mlsys.accounts.validators import normalize_orcid, validate_orcid_checksum


class AffiliationSerializer(serializers.ModelSerializer):
    class Meta:
        model = AffiliationHistory
        fields = ["id", "institution", "start_year", "end_year"]
        read_only_fields = fields


class CollaboratorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Collaborator
        fields = ["id", "name", "email", "affiliation", "relation", "until_year"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    """Editable: name, affiliation, homepage, orcid. The login email is changed on the site."""

    affiliations = AffiliationSerializer(many=True, read_only=True)
    collaborators = CollaboratorSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "name",
            "affiliation",
            "homepage",
            "orcid",
            "affiliations",
            "collaborators",
        ]
        read_only_fields = ["id", "email", "affiliations", "collaborators"]

    def to_internal_value(self, data):
        if isinstance(data, dict) and isinstance(data.get("orcid"), str):
            data = {**data, "orcid": normalize_orcid(data["orcid"])}
        return super().to_internal_value(data)

    def validate_orcid(self, value: str) -> str:
        try:
            validate_orcid_checksum(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return value


class ApiTokenSerializer(serializers.ModelSerializer):
    """``expires_at`` is optional: a future date-time after which the token stops working."""

    class Meta:
        model = ApiToken
        fields = ["id", "name", "key_prefix", "created_at", "last_used_at", "expires_at"]
        read_only_fields = ["id", "key_prefix", "created_at", "last_used_at"]

    def validate_expires_at(self, value):
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError("The expiry must be in the future.")
        return value


class NewApiTokenSerializer(ApiTokenSerializer):
    """The creation response: the only place the plain ``key`` ever appears."""

    key = serializers.CharField(read_only=True, help_text="Shown once; store it now.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]

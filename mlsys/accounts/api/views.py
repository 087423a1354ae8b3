"""``/api/v1/me/`` and ``/api/v1/me/tokens/``: always the authenticated user's own data."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from mlsys.accounts import queries, services
from mlsys.accounts.api.serializers import (
    ApiTokenSerializer,
    MeSerializer,
    NewApiTokenSerializer,
)
from mlsys.accounts.models import ApiToken, User


@extend_schema_view(
    get=extend_schema(summary="The signed-in user's profile", tags=["me"]),
    patch=extend_schema(summary="Change the signed-in user's profile", tags=["me"]),
)
class MeView(generics.RetrieveUpdateAPIView):
    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> User:
        return User.objects.prefetch_related("affiliations", "collaborators").get(
            pk=self.request.user.pk
        )

    def perform_update(self, serializer: MeSerializer) -> None:
        services.update_profile(user=self.request.user, data=serializer.validated_data)
        serializer.instance = self.get_object()


@extend_schema_view(
    list=extend_schema(summary="Your active API tokens", tags=["me"]),
    retrieve=extend_schema(summary="One of your active API tokens", tags=["me"]),
    create=extend_schema(
        summary="Create an API token",
        description="The response holds the plain `key`; it is never shown again. Only a "
        "signed-in session can create tokens: a request authenticated with a token gets 403. "
        "`expires_at` (optional, in the future) limits the token's life; a password change or "
        "reset revokes all your tokens.",
        responses={201: NewApiTokenSerializer},
        tags=["me"],
    ),
    destroy=extend_schema(
        summary="Revoke an API token",
        description="The token stops working at once. Revoking answers 404 for a token that "
        "is not yours or is already revoked.",
        tags=["me"],
    ),
)
class TokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ApiTokenSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[ApiToken]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return ApiToken.objects.none()
        return queries.active_tokens_of(self.request.user)

    def create(self, request, *args, **kwargs):
        if isinstance(request.auth, ApiToken):
            # A leaked token must not be able to mint tokens that outlive its revocation.
            raise PermissionDenied(
                "A token cannot create tokens. Sign in (session) to create one, "
                "or use the profile page."
            )
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = services.create_api_token(
            user=request.user,
            name=serializer.validated_data["name"],
            expires_at=serializer.validated_data.get("expires_at"),
        )
        token.key = key
        return Response(NewApiTokenSerializer(token).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: ApiToken) -> None:
        services.revoke_api_token(user=self.request.user, token=instance)

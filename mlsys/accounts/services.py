"""Every write to accounts goes through here."""

from django.db import transaction
from django.utils import timezone

from mlsys.accounts.models import ApiToken, User
from mlsys.core import audit


@transaction.atomic
def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token and return it with its plain key, which is never retrievable again."""
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=ApiToken.hash_key(key), key_prefix=key[:12]
    )
    audit.record("accounts.token_created", actor=user, target=token)
    return token, key


@transaction.atomic
def revoke_api_token(*, user: User, token: ApiToken) -> None:
    token = ApiToken.objects.select_for_update().get(pk=token.pk, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit.record("accounts.token_revoked", actor=user, target=token)

"""Every write to accounts goes through here.

Each function validates the model (``full_clean``) before saving, so the API and the profile page
get the same rules, and writes one audit event in the same transaction as the change.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mlsys.accounts.models import AffiliationHistory, ApiToken, Collaborator, User
from mlsys.accounts.signals import conflict_profile_changed
from mlsys.core import audit

PROFILE_FIELDS = ("name", "affiliation", "homepage", "orcid")
AFFILIATION_FIELDS = ("institution", "start_year", "end_year")
COLLABORATOR_FIELDS = ("name", "email", "affiliation", "relation", "until_year")

M = TypeVar("M", AffiliationHistory, Collaborator)


def _apply(obj, data: Mapping[str, Any], allowed: tuple[str, ...]) -> list[str]:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    for name, value in data.items():
        setattr(obj, name, value)
    return list(data)


@transaction.atomic
def update_profile(*, user: User, data: Mapping[str, Any]) -> User:
    """Change the person's own profile fields (a subset of :data:`PROFILE_FIELDS`).

    Raises ``ValidationError`` (nothing saved) on an invalid value, e.g. a malformed ORCID iD.
    Writes no audit event when nothing changed.
    """
    user = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    before = audit.snapshot(user, PROFILE_FIELDS)
    fields = _apply(user, data, PROFILE_FIELDS)
    user.full_clean(exclude=["password"])
    changes = audit.diff(before, user)
    if changes:
        user.save(update_fields=fields)
        audit.record("accounts.profile_updated", actor=user, target=user, changes=changes)
        if "affiliation" in changes:
            conflict_profile_changed.send(sender=User, user=user)
    return user


# Affiliations and collaborators: the person's own rows that conflict detection reads, so every
# change sends ``conflict_profile_changed`` (conflicts are recomputed) besides its audit event.


def _add_own(
    user: User, item: M, data: Mapping[str, Any], allowed: tuple[str, ...], action: str
) -> M:
    _apply(item, data, allowed)
    item.full_clean()
    item.save()
    conflict_profile_changed.send(sender=User, user=user)
    audit.record(
        action,
        actor=user,
        target=item,
        changes=audit.created(item, allowed),
    )
    return item


def _update_own(
    user: User, item: M, data: Mapping[str, Any], allowed: tuple[str, ...], action: str
) -> M:
    item = type(item).objects.select_for_update(of=("self",)).get(pk=item.pk, user=user)
    before = audit.snapshot(item, allowed)
    fields: list[str] = _apply(item, data, allowed)
    item.full_clean()
    changes = audit.diff(before, item)
    if changes:
        item.save(update_fields=[*fields, "updated_at"])
        conflict_profile_changed.send(sender=User, user=user)
        audit.record(action, actor=user, target=item, changes=changes)
    return item


def _remove_own(user: User, item: M, allowed: tuple[str, ...], action: str) -> None:
    item = type(item).objects.select_for_update(of=("self",)).get(pk=item.pk, user=user)
    conflict_profile_changed.send(sender=User, user=user)
    audit.record(
        action,
        actor=user,
        target=item,
        changes=audit.deleted(item, allowed),
    )
    item.delete()


@transaction.atomic
def add_affiliation(*, user: User, data: Mapping[str, Any]) -> AffiliationHistory:
    """Add one institution with its years to the person's history."""
    affiliation = AffiliationHistory(user=user)
    return _add_own(user, affiliation, data, AFFILIATION_FIELDS, "accounts.affiliation_added")


@transaction.atomic
def update_affiliation(
    *, user: User, affiliation: AffiliationHistory, data: Mapping[str, Any]
) -> AffiliationHistory:
    """Edit one of the person's own affiliations. Raises ``DoesNotExist`` for someone else's."""
    return _update_own(user, affiliation, data, AFFILIATION_FIELDS, "accounts.affiliation_updated")


@transaction.atomic
def remove_affiliation(*, user: User, affiliation: AffiliationHistory) -> None:
    """Delete one of the person's own affiliations. Raises ``DoesNotExist`` for someone else's."""
    _remove_own(user, affiliation, AFFILIATION_FIELDS, "accounts.affiliation_removed")


@transaction.atomic
def add_collaborator(*, user: User, data: Mapping[str, Any]) -> Collaborator:
    """Declare a collaborator (used for conflict detection)."""
    collaborator = Collaborator(user=user)
    return _add_own(user, collaborator, data, COLLABORATOR_FIELDS, "accounts.collaborator_added")


@transaction.atomic
def update_collaborator(
    *, user: User, collaborator: Collaborator, data: Mapping[str, Any]
) -> Collaborator:
    """Edit one of the person's own collaborators. Raises ``DoesNotExist`` for someone else's."""
    return _update_own(
        user, collaborator, data, COLLABORATOR_FIELDS, "accounts.collaborator_updated"
    )


@transaction.atomic
def remove_collaborator(*, user: User, collaborator: Collaborator) -> None:
    """Delete one of the person's own collaborators. Raises ``DoesNotExist`` for someone else's."""
    _remove_own(user, collaborator, COLLABORATOR_FIELDS, "accounts.collaborator_removed")


@transaction.atomic
def create_api_token(
    *, user: User, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token and return it with its plain key, which is never retrievable again.

    ``expires_at`` (optional) must lie in the future; after it the token no longer authenticates.
    Raises ``ValidationError`` (nothing saved) on an empty name or a past expiry.
    """
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry must be in the future."})
    key = ApiToken.generate_key()
    token = ApiToken(
        user=user,
        name=name,
        expires_at=expires_at,
        key_hash=ApiToken.hash_key(key),
        key_prefix=key[:12],
    )
    token.full_clean(exclude=["key_hash", "key_prefix"])
    token.save()
    audit.record(
        "accounts.token_created",
        actor=user,
        target=token,
        changes=audit.created(token, ("name", "expires_at")),
    )
    return token, key


@transaction.atomic
def revoke_all_api_tokens(*, user: User, reason: str) -> int:
    """Revoke every token of the user that is not revoked yet (after a password change or reset:
    a token must not outlive the password that let its owner create it). Returns how many."""
    now = timezone.now()
    tokens = list(
        ApiToken.objects.select_for_update(of=("self",)).filter(user=user, revoked_at__isnull=True)
    )
    for token in tokens:
        token.revoked_at = now
        token.save(update_fields=["revoked_at", "updated_at"])
        audit.record("accounts.token_revoked", actor=user, target=token, note=reason)
    return len(tokens)


@transaction.atomic
def revoke_api_token(*, user: User, token: ApiToken) -> None:
    """Revoke one of the user's own tokens (idempotent). Raises ``DoesNotExist`` for others'."""
    token = ApiToken.objects.select_for_update(of=("self",)).get(pk=token.pk, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit.record("accounts.token_revoked", actor=user, target=token)

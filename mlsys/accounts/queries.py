"""Reusable querysets for the profile page and the API."""

from allauth.account.models import EmailAddress
from django.db.models import QuerySet

from mlsys.accounts.models import AffiliationHistory, ApiToken, Collaborator, User


def affiliations_of(user: User) -> QuerySet[AffiliationHistory]:
    return AffiliationHistory.objects.filter(user=user)


def collaborators_of(user: User) -> QuerySet[Collaborator]:
    return Collaborator.objects.filter(user=user)


def active_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's tokens that still authenticate (revoked ones are kept only for the audit log)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


def email_addresses_of(user: User) -> QuerySet[EmailAddress]:
    return EmailAddress.objects.filter(user=user).order_by("-primary", "email")

"""API clients as a script holds them: a Bearer token per person, or none."""

from rest_framework.test import APIClient

from mlsys.accounts.services import create_api_token


def token_client(user) -> APIClient:
    """A client that authenticates as ``user`` with a fresh API token (no session)."""
    _, key = create_api_token(user=user, name="script")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def anonymous() -> APIClient:
    return APIClient()

"""/api/v1/me/ and /api/v1/me/tokens/ with session and Bearer authentication."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mlsys.accounts.models import ApiToken
from mlsys.accounts.services import create_api_token, revoke_api_token
from mlsys.core.models import AuditEvent
from tests import factories

ME = "/api/v1/me/"
TOKENS = "/api/v1/me/tokens/"


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.django_db
def test_url_names_resolve():
    assert reverse("api_me") == ME
    assert reverse("api_me_token-list") == TOKENS


@pytest.mark.django_db
def test_me_with_bearer_token(api, author):
    factories.AffiliationFactory(user=author, institution="Uni", start_year=2019)
    factories.CollaboratorFactory(user=author, name="Bob", relation="advisor")
    token, key = create_api_token(user=author, name="script")
    response = api.get(ME, **bearer(key))
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "ada@uni.example.edu"
    assert body["name"] == "Ada Author"
    assert body["affiliations"] == [
        {
            "id": body["affiliations"][0]["id"],
            "institution": "Uni",
            "start_year": 2019,
            "end_year": None,
        }
    ]
    assert [c["name"] for c in body["collaborators"]] == ["Bob"]
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.django_db
def test_me_with_session(api, author):
    api.force_login(author)
    assert api.get(ME).json()["email"] == author.email


@pytest.mark.django_db
def test_patch_me_updates_profile_but_not_email(api, author):
    _, key = create_api_token(user=author, name="script")
    response = api.patch(
        ME,
        {"name": "Ada L.", "orcid": "0000-0002-1825-0097", "email": "evil@example.org"},
        format="json",
        **bearer(key),
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Ada L."
    author.refresh_from_db()
    assert (author.name, author.orcid, author.email) == (
        "Ada L.",
        "0000-0002-1825-0097",
        "ada@uni.example.edu",
    )
    assert AuditEvent.objects.filter(action="accounts.profile_updated").count() == 1


@pytest.mark.django_db
def test_patch_me_with_bad_orcid_gives_field_error_in_our_shape(api, author):
    api.force_login(author)
    for bad in ["12-34", "0000-0002-1825-0098"]:
        response = api.patch(ME, {"orcid": bad}, format="json")
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["code"] == "invalid"
        assert "orcid" in error["fields"]
    author.refresh_from_db()
    assert author.orcid == ""


@pytest.mark.django_db
def test_put_is_not_allowed(api, author):
    api.force_login(author)
    assert api.put(ME, {"name": "x"}, format="json").status_code == 405


@pytest.mark.django_db
def test_anonymous_gets_401_in_our_shape(api):
    response = api.get(ME)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert api.get(TOKENS).status_code == 401


@pytest.mark.django_db
def test_revoked_token_gets_401_in_our_shape(api, author):
    token, key = create_api_token(user=author, name="script")
    revoke_api_token(user=author, token=token)
    response = api.get(ME, **bearer(key))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json() == {
        "error": {
            "code": "authentication_failed",
            "message": "Invalid or revoked token.",
            "fields": {},
        }
    }


@pytest.mark.django_db
def test_unknown_token_gets_401(api, author):
    assert api.get(ME, **bearer("mlsys_nope")).status_code == 401


@pytest.mark.django_db
def test_create_token_returns_key_once(api, author):
    api.force_login(author)
    response = api.post(TOKENS, {"name": "ci"}, format="json")
    assert response.status_code == 201
    body = response.json()
    token = ApiToken.objects.get(user=author)
    assert body["id"] == token.pk
    assert token.key_hash == ApiToken.hash_key(body["key"])

    listing = api.get(TOKENS).json()
    assert [t["name"] for t in listing["results"]] == ["ci"]
    assert "key" not in listing["results"][0]
    assert "key" not in api.get(f"{TOKENS}{token.pk}/").json()

    fresh = APIClient()
    assert fresh.get(ME, **bearer(body["key"])).json()["email"] == author.email


@pytest.mark.django_db
def test_create_token_without_name_is_refused(api, author):
    api.force_login(author)
    response = api.post(TOKENS, {"name": ""}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()["error"]["fields"]
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_delete_revokes_token(api, author):
    token, key = create_api_token(user=author, name="ci")
    response = api.delete(f"{TOKENS}{token.pk}/", **bearer(key))
    assert response.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api.get(ME, **bearer(key)).status_code == 401


@pytest.mark.django_db
def test_cannot_revoke_or_see_another_users_token(api, author, outsider):
    theirs, _ = create_api_token(user=outsider, name="theirs")
    api.force_login(author)
    assert api.delete(f"{TOKENS}{theirs.pk}/").status_code == 404
    assert api.get(f"{TOKENS}{theirs.pk}/").status_code == 404
    assert api.get(TOKENS).json()["results"] == []
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 6])
def test_token_list_query_count_does_not_grow(api, author, django_assert_num_queries, n):
    for i in range(n):
        create_api_token(user=author, name=f"t{i}")
    api.force_login(author)
    with django_assert_num_queries(4):  # session, user, count, page
        response = api.get(TOKENS)
    assert response.json()["count"] == n


@pytest.mark.django_db
def test_me_query_count_does_not_grow_with_affiliations(api, author, django_assert_num_queries):
    for i in range(6):
        factories.AffiliationFactory(user=author, institution=f"U{i}")
        factories.CollaboratorFactory(user=author, name=f"C{i}")
    api.force_login(author)
    with django_assert_num_queries(5):  # session, user, me, 2 prefetches
        response = api.get(ME)
    assert len(response.json()["affiliations"]) == 6


def test_schema_has_no_warnings_for_account_endpoints(capsys):
    from drf_spectacular.generators import SchemaGenerator

    from mlsys.accounts.api.urls import urlpatterns

    generator = SchemaGenerator(patterns=[*urlpatterns])
    schema = generator.get_schema(request=None, public=True)
    captured = capsys.readouterr()
    assert "Warning" not in captured.err + captured.out
    assert "/me/" in schema["paths"]
    assert "key" in schema["components"]["schemas"]["NewApiToken"]["properties"]

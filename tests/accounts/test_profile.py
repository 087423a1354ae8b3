"""The profile page: details, affiliations, collaborators, email list, API tokens."""

import re

import pytest
from django.urls import reverse

from mlsys.accounts.models import AffiliationHistory, ApiToken, Collaborator
from mlsys.accounts.services import create_api_token
from mlsys.core.models import AuditEvent
from tests import factories

PROFILE = reverse("accounts:profile")


@pytest.fixture
def me(client, author):
    client.force_login(author)
    return author


@pytest.mark.django_db
def test_anonymous_profile_redirects_to_login(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        reverse("accounts:affiliation_add"),
        reverse("accounts:collaborator_add"),
        reverse("accounts:token_create"),
        reverse("accounts:affiliation_edit", args=[1]),
        reverse("accounts:token_revoke", args=[1]),
    ],
)
def test_anonymous_posts_redirect_to_login_and_write_nothing(client, url):
    response = client.post(url, {"token-name": "x", "affiliation-institution": "MIT"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert ApiToken.objects.count() == AffiliationHistory.objects.count() == 0


@pytest.mark.django_db
def test_profile_edit_persists_and_is_audited(client, me):
    response = client.post(
        PROFILE,
        {
            "profile-name": "Ada Lovelace",
            "profile-affiliation": "Analytical Engines Ltd",
            "profile-homepage": "https://ada.example.org",
            "profile-orcid": "https://orcid.org/0000-0002-1694-233x",
        },
    )
    assert response.status_code == 302
    me.refresh_from_db()
    assert (me.name, me.affiliation, me.homepage, me.orcid) == (
        "Ada Lovelace",
        "Analytical Engines Ltd",
        "https://ada.example.org",
        "0000-0002-1694-233X",
    )
    event = AuditEvent.objects.get(action="accounts.profile_updated")
    assert event.actor == me
    assert event.changes["name"] == ["Ada Author", "Ada Lovelace"]


@pytest.mark.django_db
def test_invalid_orcid_shows_field_error_and_changes_nothing(client, me):
    before = (me.name, me.affiliation, me.orcid)
    response = client.post(
        PROFILE,
        {"profile-name": "Someone Else", "profile-affiliation": "X", "profile-orcid": "1234"},
    )
    assert response.status_code == 200
    assert "looks like 0000-0002-1825-0097" in response.context["profile_form"].errors["orcid"][0]
    assert 'aria-invalid="true"' in response.content.decode()
    me.refresh_from_db()
    assert (me.name, me.affiliation, me.orcid) == before
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_orcid_with_wrong_check_digit_is_refused(client, me):
    response = client.post(PROFILE, {"profile-name": "Ada", "profile-orcid": "0000-0002-1825-0098"})
    assert response.status_code == 200
    assert "typo" in response.context["profile_form"].errors["orcid"][0]
    me.refresh_from_db()
    assert (me.name, me.orcid) == ("Ada Author", "")


@pytest.mark.django_db
def test_profile_lists_all_email_addresses_with_link_to_manage_them(client, me):
    factories.EmailAddressFactory(user=me, email="ada@old.example.com", verified=False)
    html = client.get(PROFILE).content.decode()
    assert "ada@uni.example.edu" in html
    assert "ada@old.example.com" in html
    assert "Unverified" in html
    assert reverse("account_email") in html


@pytest.mark.django_db
def test_affiliation_add_edit_remove(client, me):
    response = client.post(
        reverse("accounts:affiliation_add"),
        {
            "affiliation-institution": "ETH Zürich",
            "affiliation-start_year": "2015",
            "affiliation-end_year": "2019",
        },
    )
    assert response.status_code == 302
    item = AffiliationHistory.objects.get(user=me)
    assert (item.institution, item.start_year, item.end_year) == ("ETH Zürich", 2015, 2019)

    assert client.get(reverse("accounts:affiliation_edit", args=[item.pk])).status_code == 200
    response = client.post(
        reverse("accounts:affiliation_edit", args=[item.pk]),
        {
            "affiliation-institution": "ETH Zurich",
            "affiliation-start_year": "2015",
            "affiliation-end_year": "",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.institution, item.end_year) == ("ETH Zurich", None)

    response = client.post(reverse("accounts:affiliation_remove", args=[item.pk]))
    assert response.status_code == 302
    assert not AffiliationHistory.objects.exists()
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "accounts.affiliation_added",
        "accounts.affiliation_updated",
        "accounts.affiliation_removed",
    ]


@pytest.mark.django_db
def test_end_year_before_start_year_is_refused_with_field_error(client, me):
    item = factories.AffiliationFactory(user=me, institution="CMU", start_year=2010, end_year=2014)
    response = client.post(
        reverse("accounts:affiliation_add"),
        {
            "affiliation-institution": "MIT",
            "affiliation-start_year": "2020",
            "affiliation-end_year": "2018",
        },
    )
    assert response.status_code == 200
    assert response.context["affiliation_form"].errors["end_year"] == [
        "The end year can't be before the start year."
    ]
    response = client.post(
        reverse("accounts:affiliation_edit", args=[item.pk]),
        {
            "affiliation-institution": "CMU",
            "affiliation-start_year": "2010",
            "affiliation-end_year": "2001",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_year"]
    item.refresh_from_db()
    assert (item.start_year, item.end_year) == (2010, 2014)
    assert list(AffiliationHistory.objects.values_list("institution", flat=True)) == ["CMU"]


@pytest.mark.django_db
def test_collaborator_add_edit_remove(client, me):
    response = client.post(
        reverse("accounts:collaborator_add"),
        {
            "collaborator-name": "Alan Turing",
            "collaborator-email": "alan@bletchley.example.uk",
            "collaborator-affiliation": "Bletchley Park",
            "collaborator-relation": "advisor",
            "collaborator-until_year": "2024",
        },
    )
    assert response.status_code == 302
    item = Collaborator.objects.get(user=me)
    assert (item.name, item.relation, item.until_year) == ("Alan Turing", "advisor", 2024)

    response = client.post(
        reverse("accounts:collaborator_edit", args=[item.pk]),
        {
            "collaborator-name": "Alan M. Turing",
            "collaborator-email": "",
            "collaborator-affiliation": "Manchester",
            "collaborator-relation": "coauthor",
            "collaborator-until_year": "",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.name, item.email, item.affiliation, item.relation, item.until_year) == (
        "Alan M. Turing",
        "",
        "Manchester",
        "coauthor",
        None,
    )
    client.post(reverse("accounts:collaborator_remove", args=[item.pk]))
    assert not Collaborator.objects.exists()


@pytest.mark.django_db
def test_invalid_collaborator_email_is_refused(client, me):
    response = client.post(
        reverse("accounts:collaborator_add"),
        {"collaborator-name": "X", "collaborator-email": "nope", "collaborator-relation": "other"},
    )
    assert response.status_code == 200
    assert response.context["collaborator_form"].errors["email"]
    assert not Collaborator.objects.exists()


@pytest.mark.django_db
def test_someone_elses_rows_answer_404_and_stay(client, me, outsider):
    theirs_aff = factories.AffiliationFactory(user=outsider, institution="Theirs")
    theirs_col = factories.CollaboratorFactory(user=outsider, name="Their friend")
    token, _ = create_api_token(user=outsider, name="their script")
    urls = [
        ("get", reverse("accounts:affiliation_edit", args=[theirs_aff.pk])),
        ("post", reverse("accounts:affiliation_edit", args=[theirs_aff.pk])),
        ("post", reverse("accounts:affiliation_remove", args=[theirs_aff.pk])),
        ("get", reverse("accounts:collaborator_edit", args=[theirs_col.pk])),
        ("post", reverse("accounts:collaborator_remove", args=[theirs_col.pk])),
        ("post", reverse("accounts:token_revoke", args=[token.pk])),
    ]
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 404, url
    assert AffiliationHistory.objects.filter(pk=theirs_aff.pk).exists()
    assert Collaborator.objects.filter(pk=theirs_col.pk).exists()
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_token_key_is_shown_once_then_only_the_prefix(client, me):
    response = client.post(reverse("accounts:token_create"), {"token-name": "export script"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.context["new_token_key"]
    token = ApiToken.objects.get(user=me)
    assert token.name == "export script"
    assert token.key_hash == ApiToken.hash_key(key)
    assert key.startswith(token.key_prefix)
    assert key in response.content.decode()

    later = client.get(PROFILE).content.decode()
    assert key not in later
    assert token.key_prefix in later
    assert "export script" in later


@pytest.mark.django_db
def test_token_without_name_is_refused(client, me):
    response = client.post(reverse("accounts:token_create"), {"token-name": ""})
    assert response.status_code == 200
    assert response.context["token_form"].errors["name"]
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_revoke_token_from_profile(client, me):
    token, _ = create_api_token(user=me, name="old")
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "old" not in client.get(PROFILE).context["tokens"].values_list("name", flat=True)
    assert AuditEvent.objects.filter(action="accounts.token_revoked").count() == 1


def _fill(user, n):
    for i in range(n):
        factories.AffiliationFactory(user=user, institution=f"Uni {i}", start_year=2000 + i)
        factories.CollaboratorFactory(user=user, name=f"Friend {i}")
        create_api_token(user=user, name=f"token {i}")
        factories.EmailAddressFactory(user=user, email=f"alias{i}@example.org")


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 6])
def test_profile_query_count_does_not_grow(client, me, django_assert_num_queries, n):
    _fill(me, n)
    with django_assert_num_queries(6):  # session, user, and one per section
        response = client.get(PROFILE)
    assert len(response.context["tokens"]) == n


@pytest.mark.django_db
def test_profile_page_labels_every_input(client, me):
    html = client.get(PROFILE).content.decode()
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html)
    assert ids
    for field_id in ids:
        assert f'for="{field_id}"' in html, field_id


@pytest.mark.django_db
def test_other_users_data_never_shows_on_my_profile(client, me):
    other = factories.UserFactory(email="zed@example.org")
    factories.AffiliationFactory(user=other, institution="Secret Lab")
    html = client.get(PROFILE).content.decode()
    assert "Secret Lab" not in html
    assert "zed@example.org" not in html

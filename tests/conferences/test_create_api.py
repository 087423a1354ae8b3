"""POST /api/v1/conferences/: site staff create a conference, with the page's messages."""

import pytest
from rest_framework.test import APIClient

from mlsys.conferences.models import Conference
from mlsys.mail.models import OutboundEmail
from reviews.models import ReviewForm

pytestmark = pytest.mark.django_db
URL = "/api/v1/conferences/"


@pytest.fixture
def client():
    return APIClient()


def _body(**kwargs) -> dict:
    return {
        "name": "MLSys 2028",
        "slug": "mlsys2028",
        "chair_email": "c@example.org",
        "chair_name": "Cee Chair",
        **kwargs,
    }


def test_staff_creates_a_conference_from_a_previous_one(client, staff, source):
    client.force_login(staff)
    response = client.post(URL, _body(copy_from="mlsys2027", shift_days=365))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["slug"] == "mlsys2028" and data["timezone"] == "Etc/GMT+12"
    assert [t["slug"] for t in data["tracks"]] == ["research", "industry"]
    assert len(data["deadlines"]) == source.deadlines.count()
    new = Conference.objects.get(slug="mlsys2028")
    assert ReviewForm.objects.filter(conference=new).count() == 2
    assert new.memberships.get().user.email == "c@example.org"
    assert OutboundEmail.objects.filter(to=["c@example.org"]).count() == 1


def test_staff_creates_an_empty_conference(client, staff):
    client.force_login(staff)
    response = client.post(URL, _body(timezone="UTC"))
    assert response.status_code == 201
    new = Conference.objects.get(slug="mlsys2028")
    assert new.timezone == "UTC" and not new.tracks.exists() and not new.deadlines.exists()


@pytest.mark.parametrize("who", ["chair", "ml_reviewer", "author", "outsider"])
def test_everyone_but_staff_is_refused_with_403(client, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.post(URL, _body())
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Only site staff can create conferences."
    assert not Conference.objects.filter(slug="mlsys2028").exists()


def test_anonymous_is_refused(client):
    assert client.post(URL, _body()).status_code in (401, 403)
    assert not Conference.objects.filter(slug="mlsys2028").exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"slug": "mlsys2027"}, "slug", "A conference with the slug “mlsys2027” already exists."),
        ({"timezone": "Mars/Olympus"}, "timezone", "“Mars/Olympus” is not a known time zone"),
        ({"chair_email": "nope"}, "chair_email", "“nope” is not a valid email address."),
        ({"copy_from": "no-such"}, "copy_from", "does not exist"),
        ({"shift_days": 99999}, "shift_days", "less than or equal to 3650"),
    ],
)
def test_bad_input_answers_400_with_the_message(client, staff, conference, body, field, message):
    client.force_login(staff)
    response = client.post(URL, _body(**body))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert message in " ".join(error["fields"][field])
    assert Conference.objects.count() == 1


def test_schema_documents_the_create_operation(client, staff):
    client.force_login(staff)
    schema = client.get("/api/schema/?format=json").json()
    post = schema["paths"]["/api/v1/conferences/"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/ConferenceCreateRequest")
    assert post["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ConferenceDetail"
    )
    assert {"400", "403"} <= set(post["responses"])
    required = schema["components"]["schemas"]["ConferenceCreateRequest"]["required"]
    assert set(required) == {"name", "slug", "chair_email"}

"""The phase switches through the API: the phases page's service, chairs only for changes."""

import pytest

from mlsys.conferences.enums import Phase, PhaseMode
from mlsys.conferences.models import PhaseSetting
from mlsys.core.models import AuditEvent
from tests.api.clients import anonymous, token_client

pytestmark = pytest.mark.django_db


def url(conference) -> str:
    return f"/api/v1/conferences/{conference.slug}/phases/"


def test_chair_opens_bidding_now(conference, chair):
    response = token_client(chair).patch(url(conference), {"bidding": "open"})
    assert response.status_code == 200, response.content
    rows = {r["phase"]: r for r in response.json()}
    assert rows["bidding"] == {"phase": "bidding", "mode": "open", "is_open": True}
    assert PhaseSetting.objects.get(conference=conference).mode == PhaseMode.OPEN
    assert AuditEvent.objects.get(action="phases.updated").changes == {"bidding": ["auto", "open"]}


def test_committee_members_read_the_switches_but_cannot_change_them(conference, ml_reviewer):
    client = token_client(ml_reviewer)
    rows = client.get(url(conference)).json()
    assert {r["phase"] for r in rows} >= {Phase.SUBMISSION, Phase.BIDDING}
    refused = client.patch(url(conference), {"bidding": "open"})
    assert refused.status_code == 403
    assert not PhaseSetting.objects.exists()


def test_anonymous_is_401_and_a_private_conference_is_404_to_outsiders(conference, outsider):
    assert anonymous().patch(url(conference), {"bidding": "open"}).status_code == 401
    conference.is_public = False
    conference.save(update_fields=["is_public"])
    assert token_client(outsider).get(url(conference)).status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"bidding": "ajar"}, "bidding", "Choose auto"),
        ({"lunch": "open"}, "lunch", "Unknown phase"),
        ({}, "non_field_errors", "Send an object"),
        (["bidding"], "non_field_errors", "Send an object"),
    ],
)
def test_bad_switches_are_400_and_change_nothing(conference, chair, body, field, message):
    response = token_client(chair).patch(url(conference), body, format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()["error"]["fields"][field])
    assert not PhaseSetting.objects.exists()

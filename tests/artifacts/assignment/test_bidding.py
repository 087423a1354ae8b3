"""The evaluators' bidding page and bids: bidding metadata only, conflicted artifacts never
reachable, htmx and plain posts, closed after the AE bidding deadline, constant queries."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from artifacts.assignment import services
from artifacts.models import ArtifactBid, HardwareProfile
from mlsys.conferences.enums import DeadlineKind
from mlsys.core.models import AuditEvent
from tests import factories as f
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return af.artifact_world(status="submitted")


def url(world, name="artifacts:bidding", **kw):
    return reverse(name, kwargs={"conference": world.conference.slug, **kw})


def bid_url(world, artifact=None):
    artifact = artifact or world.artifact
    return url(world, "artifacts:bid", number=artifact.submission.number)


def test_bidding_shows_metadata_and_fit_never_access_details(client, world):
    a = world.artifact
    a.summary = "Trains a small model."
    a.gpu_model, a.gpu_count = "A100", 2
    a.access_instructions = "SSH to secret-host.example"
    a.access_secret = "ENCRYPTED-BLOB"
    a.save()
    client.force_login(world.other_evaluator)
    page = client.get(url(world)).content.decode()
    assert a.submission.title in page
    assert "Trains a small model." in page
    assert "2 × A100 GPUs" in page
    assert "Does not fit your hardware" in page
    assert "secret-host" not in page and "ENCRYPTED-BLOB" not in page
    HardwareProfile.objects.create(
        user=world.other_evaluator, gpus=[{"model": "NVIDIA A100 80GB", "count": 2}]
    )
    assert "Fits your hardware" in client.get(url(world)).content.decode()


def test_conflicted_artifacts_are_not_listed_nor_biddable(client, world):
    evaluator = world.other_evaluator
    f.ConflictFactory(submission=world.artifact.submission, user=evaluator)
    client.force_login(evaluator)
    assert world.artifact.submission.title not in client.get(url(world)).content.decode()
    response = client.post(bid_url(world), {"preference": "eager"})
    assert response.status_code == 404
    assert not ArtifactBid.objects.exists()


def test_registered_and_withdrawn_artifacts_are_not_listed(client, world):
    registered = af.ArtifactFactory(conference=world.conference, status="registered")
    withdrawn = af.ArtifactFactory(conference=world.conference, status="withdrawn")
    client.force_login(world.other_evaluator)
    page = client.get(url(world)).content.decode()
    assert registered.submission.title not in page
    assert withdrawn.submission.title not in page
    assert client.post(bid_url(world, registered), {"preference": "eager"}).status_code == 404


@pytest.mark.parametrize("status", ["discussion", "decided", "published"])
def test_artifacts_taking_no_more_evaluators_are_not_listed_nor_biddable(client, world, status):
    """Found by the new-user trial: bidding listed decided and published artifacts."""
    done = af.ArtifactFactory(conference=world.conference, status=status)
    client.force_login(world.other_evaluator)
    page = client.get(url(world)).content.decode()
    assert done.submission.title not in page
    assert client.post(bid_url(world, done), {"preference": "eager"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.place_bid(done, actor=world.other_evaluator, preference="eager")


def test_plain_post_saves_and_redirects(client, world):
    client.force_login(world.other_evaluator)
    response = client.post(bid_url(world), {"preference": "eager", "next": url(world)})
    assert response.status_code == 302
    bid = ArtifactBid.objects.get(user=world.other_evaluator)
    assert bid.preference == "eager"
    assert AuditEvent.objects.filter(action="artifacts.bid_placed").count() == 1
    client.post(bid_url(world), {"preference": "willing"})
    bid.refresh_from_db()
    assert bid.preference == "willing"


def test_htmx_post_returns_the_row(client, world):
    client.force_login(world.other_evaluator)
    response = client.post(bid_url(world), {"preference": "reluctant"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Saved." in body and 'id="bid-progress"' in body
    assert ArtifactBid.objects.get(user=world.other_evaluator).preference == "reluctant"


def test_bad_bid_is_refused_with_a_message(client, world):
    client.force_login(world.other_evaluator)
    response = client.post(bid_url(world), {"preference": "maybe"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert not ArtifactBid.objects.exists()


def test_a_conflict_bid_hides_the_artifact_and_conflicts_the_evaluator(client, world):
    evaluator = world.other_evaluator
    client.force_login(evaluator)
    response = client.post(bid_url(world), {"conflict": "1"}, HTTP_HX_REQUEST="true")
    assert "Conflict declared" in response.content.decode()
    assert ArtifactBid.objects.get(user=evaluator).preference == "conflict"
    assert world.artifact.submission.title not in client.get(url(world)).content.decode()
    # Now conflicted: no more bids on it.
    assert client.post(bid_url(world), {"preference": "eager"}).status_code == 404


def test_bidding_closes_at_the_ae_bidding_deadline(client, world):
    f.DeadlineFactory(
        conference=world.conference,
        kind=DeadlineKind.AE_BIDDING,
        at=timezone.now() - timedelta(hours=1),
    )
    client.force_login(world.other_evaluator)
    page = client.get(url(world)).content.decode()
    assert "Bidding is closed" in page
    assert 'name="preference"' not in page
    client.post(bid_url(world), {"preference": "eager"})
    assert not ArtifactBid.objects.exists()
    with pytest.raises(services.PermissionDenied):
        services.place_bid(world.artifact, actor=world.other_evaluator, preference="eager")


def test_bidding_is_open_before_the_deadline(world):
    f.DeadlineFactory(
        conference=world.conference,
        kind=DeadlineKind.AE_BIDDING,
        at=timezone.now() + timedelta(days=1),
    )
    services.place_bid(world.artifact, actor=world.other_evaluator, preference="eager")
    assert ArtifactBid.objects.filter(user=world.other_evaluator).exists()


@pytest.mark.parametrize("who", ["outsider", "author", "ae_chair", "program_chair"])
def test_bidding_is_refused_to_non_evaluators(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(url(world)).status_code == 404
    assert client.post(bid_url(world), {"preference": "eager"}).status_code == 404
    assert client.get(url(world, "artifacts:mine")).status_code == 404
    assert not ArtifactBid.objects.exists()


def test_anonymous_is_sent_to_log_in(client, world):
    assert client.get(url(world)).status_code == 302


def _artifacts(conference, n):
    for i in range(n):
        a = af.ArtifactFactory(conference=conference, status="submitted", badges=["available"])
        a.special_hardware = [f"Testbed {i}"]
        a.save()


@pytest.mark.parametrize("n", [1, 10])
def test_bidding_page_queries_are_constant(client, django_assert_num_queries, n):
    conference = af.ae_conference()
    evaluator = af.evaluator(conference)
    _artifacts(conference, n)
    client.force_login(evaluator)
    target = reverse("artifacts:bidding", kwargs={"conference": conference.slug})
    client.get(target)
    with django_assert_num_queries(11):
        response = client.get(target)
    assert response.status_code == 200
    assert response.content.decode().count('class="bid-row card"') == n


def test_an_archived_conference_takes_no_bids(client, world):
    type(world.conference).objects.filter(pk=world.conference.pk).update(archived_at=timezone.now())
    client.force_login(world.other_evaluator)
    assert client.get(url(world)).status_code == 200
    assert client.post(bid_url(world), {"preference": "eager"}).status_code == 403
    assert not ArtifactBid.objects.exists()

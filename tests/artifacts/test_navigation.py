"""Finding the artifact pages (walking through the demo as new users): a visitor reaches the
public results from the conference page; the AE chair reaches the assignment and the results
from the overview, the assignment and the setup pages."""

import pytest
from django.urls import reverse

from mlsys.conferences.enums import DeadlineKind
from tests import factories as f
from tests.factories import artifacts as af


def test_visitor_finds_the_public_results_from_the_conference_page(client, db):
    conference = af.ae_conference()
    f.DeadlineFactory(conference=conference, kind=DeadlineKind.AE_REGISTRATION)
    html = client.get(reverse("conferences:detail", kwargs={"conference": conference.slug}))
    results = reverse("artifacts:results", kwargs={"conference": conference.slug})
    assert f'href="{results}"' in html.content.decode()


def test_no_results_link_without_artifact_dates(client, db):
    conference = f.ConferenceFactory()
    html = client.get(reverse("conferences:detail", kwargs={"conference": conference.slug}))
    assert "/artifacts/results/" not in html.content.decode()


@pytest.mark.parametrize("page", ["overview", "assignment", "settings", "committee"])
def test_chair_pages_link_each_other(client, db, page):
    world = af.artifact_world()
    client.force_login(world.ae_chair)
    html = client.get(reverse(f"artifacts:{page}", kwargs={"conference": world.conference.slug}))
    assert html.status_code == 200
    for target in ("overview", "assignment", "results", "committee", "settings", "badges"):
        url = reverse(f"artifacts:{target}", kwargs={"conference": world.conference.slug})
        assert f'href="{url}"' in html.content.decode(), target

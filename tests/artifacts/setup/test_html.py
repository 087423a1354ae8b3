"""Every AE setup and committee page: unique ids, every control labelled, references intact."""

import pytest
from django.urls import reverse

from artifacts.models import Badge
from tests.factories import artifacts as af
from tests.html_checks import accessibility_problems

pytestmark = pytest.mark.django_db


def test_pages_pass_the_accessibility_checks(client):
    world = af.artifact_world()
    slug = world.conference.slug
    badge = Badge.objects.get(conference=world.conference, key="reproduced")
    client.force_login(world.ae_chair)
    pages = [
        reverse("artifacts:settings", args=[slug]),
        reverse("artifacts:badges", args=[slug]),
        reverse("artifacts:badge_create", args=[slug]),
        reverse("artifacts:badge_edit", args=[slug, badge.pk]),
        reverse("artifacts:badge_delete", args=[slug, badge.pk]),
        reverse("artifacts:committee", args=[slug]),
        reverse("artifacts:committee_invite", args=[slug]),
        reverse("artifacts:committee_import", args=[slug]),
    ]
    for path in pages:
        html = client.get(path).content.decode()
        assert accessibility_problems(html) == {}, path
    client.force_login(world.evaluator_a)
    html = client.get(reverse("artifacts:hardware", args=[slug])).content.decode()
    assert accessibility_problems(html) == {}

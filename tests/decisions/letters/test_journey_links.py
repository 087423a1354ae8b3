"""The end of the conference as a chair walks it: each page links the next step (dashboard →
meeting → release → letters → camera-ready → proceedings) and back, not only the top nav."""

import pytest
from django.urls import reverse

from tests.decisions.letters.test_pages import released, u


def link(conference, name: str) -> str:
    return f'href="{reverse(name, kwargs={"conference": conference.slug})}"'


@pytest.mark.parametrize("page", ["plots", "threshold", "consistency", "meeting"])
def test_analysis_pages_lead_back_to_the_dashboard_and_on_to_the_release(
    client, conference, chair, page
):
    client.force_login(chair)
    html = client.get(u(f"decisions:{page}", conference)).content.decode()
    nav = html.split('aria-label="Decision analysis"')[1].split("</nav>")[0]
    assert link(conference, "decisions:dashboard") in nav
    assert link(conference, "decisions:release") in nav


def test_letters_page_points_to_the_camera_ready_once_letters_are_sent(
    client, conference, chair, paper, outcomes, django_capture_on_commit_callbacks
):
    client.force_login(chair)
    assert (
        'id="letters-next"' not in client.get(u("decisions:letters", conference)).content.decode()
    )
    released(conference, chair, paper, outcomes["oral"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(u("decisions:letters_action", conference, action="prepare"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(u("decisions:letters_action", conference, action="send"))
    html = client.get(u("decisions:letters", conference)).content.decode()
    nxt = html.split('id="letters-next"')[1].split("</p>")[0]
    assert link(conference, "decisions:camera_ready_overview") in nxt


def test_camera_ready_and_proceedings_link_each_other(client, conference, chair):
    client.force_login(chair)
    overview = client.get(u("decisions:camera_ready_overview", conference)).content.decode()
    assert link(conference, "decisions:proceedings") in overview.split("</nav>")[1]
    proceedings = client.get(u("decisions:proceedings", conference)).content.decode()
    main = proceedings.split("<h1>Proceedings</h1>")[1]
    assert link(conference, "decisions:camera_ready_overview") in main

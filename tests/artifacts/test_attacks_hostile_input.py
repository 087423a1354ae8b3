"""Hostile input in the artifacts' free text (issue 12): a script in a message, a summary, a
badge label or checklist, a repository URL with a javascript: scheme, a formula in an export
cell: all rendered inert on every page that shows them."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from artifacts.evaluation import services as evaluation
from artifacts.models import Artifact, Badge
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
HOSTILE_MARKDOWN = (
    f"{SCRIPT} [click](javascript:alert(2)) <img src=x onerror=alert(3)> "
    '<a href="javascript:alert(4)">x</a> <svg onload=alert(5)>'
)


def _inert(html: str) -> list[str]:
    lowered = html.lower()
    return [
        bad
        for bad in ("<script>alert", "javascript:alert", "onerror=alert", "onload=alert")
        if bad in lowered
    ]


def test_hostile_messages_summary_and_badges_are_inert(client):
    w = af.artifact_world()
    Artifact.objects.filter(pk=w.artifact.pk).update(summary=SCRIPT)
    Badge.objects.filter(conference=w.conference, key="available").update(
        label=f'Avail"able</title>{SCRIPT}', checklist=[SCRIPT], description=SCRIPT
    )
    w.artifact.refresh_from_db()
    evaluation.post_message(
        actor=w.evaluator_a, artifact=w.artifact, thread="authors", body=HOSTILE_MARKDOWN
    )
    evaluation.post_message(
        actor=w.evaluator_b, artifact=w.artifact, thread="evaluators", body=HOSTILE_MARKDOWN
    )
    url = reverse(
        "artifacts:detail",
        kwargs={"conference": w.conference.slug, "number": w.artifact.submission.number},
    )
    for user in (w.author, w.evaluator_a, w.ae_chair):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert _inert(html) == [], user
        assert "&lt;script&gt;alert(1)" in html  # shown, escaped (the summary)
    client.force_login(w.evaluator_a)
    bidding = client.get(reverse("artifacts:bidding", kwargs={"conference": w.conference.slug}))
    assert _inert(bidding.content.decode()) == []
    client.force_login(w.ae_chair)
    for name in ("artifacts:badges", "artifacts:overview", "artifacts:assignment"):
        page = client.get(reverse(name, kwargs={"conference": w.conference.slug}))
        assert page.status_code == 200
        assert _inert(page.content.decode()) == [], name


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html,x"],
)
def test_a_javascript_repository_url_is_refused(url):
    w = af.artifact_world(status="registered")
    api = APIClient()
    api.force_login(w.author)
    response = api.patch(
        reverse(
            "api-artifact",
            kwargs={"conference": w.conference.slug, "number": w.artifact.submission.number},
        ),
        {"repository_url": url, "revision": w.artifact.revision},
        format="json",
    )
    assert response.status_code == 400
    w.artifact.refresh_from_db()
    assert w.artifact.repository_url == "https://github.com/example/artifact"


def test_formulas_in_the_overview_export_are_defused(client):
    w = af.artifact_world()
    w.artifact.submission.title = '=HYPERLINK("http://evil.example","x")'
    w.artifact.submission.save(update_fields=["title"])
    client.force_login(w.ae_chair)
    response = client.get(
        reverse("artifacts:overview_export", kwargs={"conference": w.conference.slug})
    )
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in body

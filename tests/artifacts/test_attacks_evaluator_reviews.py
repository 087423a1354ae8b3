"""Attacks of an AE evaluator on the paper behind their artifact (issue 12): holding only the
AE evaluator role, no page or API route of the conference outside artifacts shows the paper's
reviews, scores, meta-review or discussion, whatever number or id they put in the URL."""

import pytest
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from tests import factories as f
from tests.factories import artifacts as af
from tests.reviews.paper_fixtures import answers, member, write_review

pytestmark = pytest.mark.django_db

REVIEW = "Qzreviewmarker"
COMMENT = "Qzcommentmarker"
META = "Qzmetamarker"


def _routes():
    def walk(patterns, prefix="", namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern), p.namespace or namespace)
            else:
                yield namespace, p.name, prefix + str(p.pattern)

    for namespace, name, path in walk(get_resolver().url_patterns):
        if namespace == "artifacts" or (name or "").startswith("api-artifact") or not name:
            continue
        if "<slug:conference>" in path:
            yield (f"{namespace}:{name}" if namespace else name), path


def _kwargs(path, w) -> dict | None:
    """The URL's kwargs pointing at the artifact's paper (None: a route about something else)."""
    values = {
        "conference": w.conference.slug,
        "number": w.artifact.submission.number,
        "pk": w.artifact.submission.pk,
    }
    kwargs = {}
    for key in ("conference", "number", "pk"):
        for spelling in (f"<slug:{key}>", f"<int:{key}>", f"<{key}>"):
            if spelling in path:
                kwargs[key] = values[key]
    if path.count("<") != len(kwargs):
        return None
    return kwargs


def test_an_ae_evaluator_never_reads_the_papers_reviews():
    w = af.artifact_world()
    paper = w.artifact.submission
    reviewer = member(w.conference, name="Rhea Reviewer")
    write_review(paper, reviewer, answers(f"{REVIEW} weak accept"))
    f.CommentFactory(submission=paper, author=reviewer, body=f"{COMMENT} discuss")
    f.MetaReviewFactory(
        submission=paper,
        lead=reviewer,
        summary=f"{META} accept",
        state="submitted",
    )
    client = APIClient()
    client.force_login(w.evaluator_a)
    checked, leaked = 0, {}
    for name, path in _routes():
        kwargs = _kwargs(path, w)
        if kwargs is None:
            continue
        try:
            url = reverse(name, kwargs=kwargs)
        except Exception:  # noqa: BLE001 - converters that do not take our values
            continue
        response = client.get(url)
        checked += 1
        if response.status_code != 200 or getattr(response, "streaming", False):
            continue
        body = response.content.decode(errors="replace")
        found = [m for m in (REVIEW, COMMENT, META, "Rhea Reviewer") if m in body]
        if found:
            leaked[name] = found
    assert checked > 50
    assert leaked == {}
    # The markers are there to be found: the program chair reads the reviews through the API.
    chair = APIClient()
    chair.force_login(w.program_chair)
    url = reverse("api-review-list", kwargs={"conference": w.conference.slug})
    assert REVIEW in chair.get(url).content.decode()

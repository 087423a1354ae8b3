"""The home page tells a paper that names its authors (failed the anonymity check) from one that
breaks the format rules: the author's task says which, and after the deadline says they can no
longer replace it; the chair's desk counts the two separately in the same number of queries."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences.enums import DeadlineKind
from mlsys.conferences.models import Deadline
from tests import factories
from tests.reviews.response_fixtures import make_paper

pytestmark = pytest.mark.django_db

NAMED = {"errors": [{"code": "anonymity_text", "message": "Names Ada."}], "warnings": []}
BOTH = {
    "errors": [
        {"code": "anonymity_text", "message": "Names Ada."},
        {"code": "page_limit", "message": "Too long."},
    ],
    "warnings": [],
}
FORMAT = {"errors": [{"code": "page_limit", "message": "Too long."}], "warnings": []}


def _with_paper(submission, report, *, anonymity_failed, released=False):
    submission.current_paper = factories.SubmissionFileFactory(
        submission=submission,
        check_status="failed",
        report=report,
        anonymity_failed=anonymity_failed,
        released_at=timezone.now() if released else None,
    )
    submission.save()
    return submission


def _papers(conference, author):
    _with_paper(make_paper(conference, author, number=1), FORMAT, anonymity_failed=False)
    _with_paper(make_paper(conference, author, number=2), NAMED, anonymity_failed=True)
    _with_paper(make_paper(conference, author, number=3), BOTH, anonymity_failed=True)
    _with_paper(make_paper(conference, author, number=4), NAMED, anonymity_failed=True)


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def test_author_home_says_the_paper_names_its_authors(client, conference, author):
    _papers(conference, author)
    tasks = {t.submission.number: t for t in _home(client, author).context["paper_tasks"]}
    assert tasks[1].needs == ["The paper fails the format check: see the check report."]
    assert tasks[2].needs == [
        "The paper names its authors (anonymity check failed): reviewers do not get it. "
        "Remove the names and upload it again."
    ]
    assert tasks[3].needs == [
        "The paper fails the format check and names its authors: reviewers do not get it. "
        "See the check report and upload a fixed version."
    ]
    assert tasks[2].action == ("submissions:detail", "See the check report")


def test_after_the_deadline_the_author_is_not_asked_to_fix_it(client, conference, author):
    _papers(conference, author)
    Deadline.objects.filter(conference=conference, kind=DeadlineKind.SUBMISSION).update(
        at=timezone.now() - timedelta(hours=1)
    )
    tasks = {t.submission.number: t for t in _home(client, author).context["paper_tasks"]}
    assert tasks[1].needs == [
        "The paper fails the format check. Submissions are closed, so you can no "
        "longer upload a fixed version; the chairs decide what happens to it."
    ]
    assert tasks[2].needs == [
        "The paper names its authors (anonymity check failed): reviewers do not get it. "
        "Submissions are closed, so you can no longer upload a fixed version; "
        "the chairs decide what happens to it."
    ]


def test_a_released_paper_is_not_said_to_be_withheld(client, conference, author):
    _with_paper(
        make_paper(conference, author, number=1), NAMED, anonymity_failed=True, released=True
    )
    [task] = _home(client, author).context["paper_tasks"]
    assert task.needs == [
        "The paper names its authors (anonymity check failed); the chairs released it to "
        "reviewers anyway."
    ]


def test_chair_home_counts_anonymity_failures_separately(client, conference, author, chair):
    _papers(conference, author)
    _with_paper(
        make_paper(conference, author, number=5), NAMED, anonymity_failed=True, released=True
    )
    response = _home(client, chair)
    [desk] = response.context["chair_desks"]
    assert (desk.failed_checks, desk.naming_authors) == (1, 3)
    html = response.content.decode()
    assert "1 paper failing the format check" in html
    assert "3 papers naming their authors" in html
    assert "4 papers failing" not in html


def test_chair_home_without_format_failures_shows_only_the_naming_count(
    client, conference, author, chair
):
    _with_paper(make_paper(conference, author, number=1), NAMED, anonymity_failed=True)
    html = _home(client, chair).content.decode()
    assert "1 paper naming its authors" in html
    assert "failing the format check" not in html

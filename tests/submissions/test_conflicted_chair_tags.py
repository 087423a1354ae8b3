"""The chairs' tags on a paper ("borderline", "discuss at the meeting") are hidden from a chair
conflicted with it on every submissions surface, as the decisions dashboard already hides them:
the list, its tag filter, the paper's page and its history, the CSV and JSON exports and the
API. Another chair's view is unchanged."""

import csv
import io
import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from submissions import chair_services
from submissions.models import Tag
from tests import factories
from tests.submissions.author_helpers import url

TAG = "borderline-reject"


@pytest.fixture
def tagged(conference, chair, other_chair):
    """#7 (Carl is conflicted with it) and #8, both tagged by the unconflicted chair."""
    seven = factories.SubmissionFactory(conference=conference, number=7, status="submitted")
    factories.ConflictFactory(submission=seven, user=other_chair, state="confirmed")
    factories.SubmissionFactory(conference=conference, number=8, status="submitted")
    chair_services.set_tag(conference=conference, numbers=[7, 8], actor=chair, name=TAG, add=True)
    return Tag.objects.get(conference=conference, name=TAG)


def _rows(html: str) -> dict[int, str]:
    """The list's table rows by paper number (the row's HTML)."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = {}
    for row in body.split("<tr>")[1:]:
        number = int(row.split('name="numbers" value="', 1)[1].split('"', 1)[0])
        rows[number] = row
    return rows


@pytest.mark.parametrize(("who", "seven_shows_tag"), [("other_chair", False), ("chair", True)])
def test_list_shows_the_tag_only_where_the_chair_is_not_conflicted(
    client, conference, tagged, other_chair, chair, who, seven_shows_tag
):
    client.force_login(other_chair if who == "other_chair" else chair)

    rows = _rows(client.get(url("chair_list", conference)).content.decode())

    assert TAG in rows[8]
    assert (TAG in rows[7]) is seven_shows_tag


@pytest.mark.parametrize(("who", "listed"), [("other_chair", [8]), ("chair", [7, 8])])
def test_a_tag_filter_never_matches_a_paper_whose_tags_are_hidden(
    client, conference, tagged, other_chair, chair, who, listed
):
    client.force_login(other_chair if who == "other_chair" else chair)

    page = client.get(url("chair_list", conference), {"tag": tagged.pk}).content.decode()
    csv_export = client.get(url("chair_export", conference), {"tag": tagged.pk, "format": "csv"})
    api = APIClient()
    api.force_authenticate(other_chair if who == "other_chair" else chair)
    api_list = api.get(
        reverse("api-submission-list", kwargs={"conference": conference.slug}),
        {"tag": tagged.pk},
    ).json()

    assert sorted(_rows(page)) == listed
    lines = list(csv.DictReader(io.StringIO(b"".join(csv_export.streaming_content).decode())))
    assert [int(line["number"]) for line in lines] == listed
    assert sorted(item["number"] for item in api_list["results"]) == listed


def test_paper_page_and_its_history_hide_the_tag_from_the_conflicted_chair(
    client, conference, tagged, other_chair, chair
):
    client.force_login(other_chair)
    hidden = client.get(url("chair_detail", conference, number=7)).content.decode()
    client.force_login(chair)
    shown = client.get(url("chair_detail", conference, number=7)).content.decode()

    assert TAG not in hidden
    assert "Hidden: you are conflicted with this paper." in hidden
    assert shown.count(TAG) >= 2  # the tags line and the history's "tagged" event


def test_exports_leave_the_conflicted_papers_tags_out(client, conference, tagged, other_chair):
    client.force_login(other_chair)

    data = json.loads(client.get(url("chair_export", conference), {"format": "json"}).content)
    text = b"".join(
        client.get(url("chair_export", conference), {"format": "csv"}).streaming_content
    ).decode()

    tags = {row["number"]: row["tags"] for row in data["submissions"]}
    assert tags == {7: [], 8: [TAG]}
    by_number = {int(r["number"]): r["tags"] for r in csv.DictReader(io.StringIO(text))}
    assert by_number == {7: "", 8: TAG}


def test_api_leaves_the_conflicted_papers_tags_out(conference, tagged, other_chair, chair):
    api = APIClient()
    list_url = reverse("api-submission-list", kwargs={"conference": conference.slug})
    detail = reverse("api-submission-detail", kwargs={"conference": conference.slug, "number": 7})

    api.force_authenticate(other_chair)
    mine = {item["number"]: item["tags"] for item in api.get(list_url).json()["results"]}
    assert mine == {7: [], 8: [TAG]}
    assert api.get(detail).json()["tags"] == []

    api.force_authenticate(chair)
    assert api.get(detail).json()["tags"] == [TAG]

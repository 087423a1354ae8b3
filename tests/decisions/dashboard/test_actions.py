"""Deciding from the dashboard: one row (htmx and plain POST), clearing after a confirmation,
bulk decisions with a preview of what is skipped and why, bulk tags, saved views and the CSV."""

import csv
import io
from urllib.parse import urlencode

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.urls import reverse

from decisions.models import Decision, SavedView
from decisions.outcomes import outcomes_of
from mlsys.core.models import AuditEvent
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}


def decide_url(conference, number):
    return reverse("decisions:decide", kwargs={"conference": conference.slug, "number": number})


def bulk_url(conference):
    return reverse("decisions:decide_bulk", kwargs={"conference": conference.slug})


def dashboard_url(conference, **params):
    base = reverse("decisions:dashboard", kwargs={"conference": conference.slug})
    return f"{base}?{urlencode(params, doseq=True)}" if params else base


@pytest.fixture
def outcomes(conference):
    oral, poster, reject = outcomes_of(conference)
    return {"oral": oral, "poster": poster, "reject": reject}


@pytest.fixture
def paper(conference):
    return factories.SubmissionFactory(conference=conference, title="A paper to decide")


def test_htmx_decision_returns_the_updated_row(chair_client, conference, paper, outcomes):
    back = dashboard_url(conference, gap="1")
    response = chair_client.post(
        decide_url(conference, paper.number),
        {"outcome": outcomes["poster"].pk, "next": back},
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.strip().startswith(f'<tr id="paper-{paper.number}"')
    assert f'value="{outcomes["poster"].pk}" selected' in body and "saved" in body
    decision = Decision.objects.get(submission=paper)
    assert decision.outcome == outcomes["poster"] and decision.status == "pending"


def test_plain_post_redirects_back_to_the_same_filters(chair_client, conference, paper, outcomes):
    back = dashboard_url(conference, q="decide", sort="-gap")
    response = chair_client.post(
        decide_url(conference, paper.number), {"outcome": outcomes["oral"].pk, "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    assert Decision.objects.get(submission=paper).outcome == outcomes["oral"]


def test_a_foreign_next_url_goes_back_to_the_dashboard(chair_client, conference, paper, outcomes):
    response = chair_client.post(
        decide_url(conference, paper.number),
        {"outcome": outcomes["oral"].pk, "next": "https://evil.example.com/"},
    )
    assert response["Location"] == dashboard_url(conference)


def test_clearing_asks_for_confirmation_first(chair_client, conference, paper, outcomes):
    factories.DecisionFactory(submission=paper, outcome=outcomes["reject"])
    url = decide_url(conference, paper.number)
    asked = chair_client.post(url, {"outcome": ""})
    assert asked.status_code == 200 and "Clear the pending decision of" in asked.content.decode()
    assert Decision.objects.filter(submission=paper).exists()
    row = chair_client.post(url, {"outcome": ""}, **HTMX).content.decode()
    assert "Clear “Reject”?" in row and Decision.objects.filter(submission=paper).exists()
    done = chair_client.post(url, {"outcome": "", "confirm": "1"})
    assert done.status_code == 302
    assert not Decision.objects.filter(submission=paper).exists()
    assert AuditEvent.objects.filter(action="decisions.cleared").count() == 1


def test_a_released_decision_has_no_control_and_is_not_cleared(
    chair_client, conference, paper, outcomes
):
    paper.status = "accepted"
    paper.save()
    factories.DecisionFactory(submission=paper, outcome=outcomes["oral"], status="released")
    row = chair_client.post(
        decide_url(conference, paper.number), {"outcome": "", "confirm": "1"}, **HTMX
    ).content.decode()
    assert "already released" in row and "<select" not in row
    assert Decision.objects.get(submission=paper).status == "released"


def test_a_bad_outcome_is_a_message_not_a_500(chair_client, conference, paper):
    other = factories.OutcomeFactory()  # another conference's
    for value in (other.pk, "x", "99999999999999999999999"):
        response = chair_client.post(
            decide_url(conference, paper.number), {"outcome": value}, **HTMX
        )
        assert response.status_code == 200
        assert "Choose one of this conference" in response.content.decode()
    assert not Decision.objects.exists()


def test_a_conflicted_chair_cannot_decide_their_paper(
    client, conference, conflicted_chair, paper, outcomes
):
    factories.ConflictFactory(submission=paper, user=conflicted_chair, state="confirmed")
    client.force_login(conflicted_chair)
    response = client.post(decide_url(conference, paper.number), {"outcome": outcomes["oral"].pk})
    assert response.status_code == 404
    assert not Decision.objects.exists()


@pytest.mark.parametrize("role", ["ml_reviewer", "author", "outsider"])
def test_others_cannot_decide(client, conference, paper, outcomes, role, request):
    client.force_login(request.getfixturevalue(role))
    url = decide_url(conference, paper.number)
    assert client.post(url, {"outcome": outcomes["oral"].pk}).status_code == 404
    assert client.post(bulk_url(conference), {"numbers": [paper.number]}).status_code == 404
    assert not Decision.objects.exists()


def test_bulk_previews_what_is_skipped_and_why_then_sets(
    client, conference, chair, conflicted_chair, outcomes
):
    free = factories.SubmissionFactory(conference=conference, title="Free paper")
    mine = factories.SubmissionFactory(conference=conference, title="Conflicted paper")
    factories.ConflictFactory(submission=mine, user=conflicted_chair, state="confirmed")
    withdrawn = factories.SubmissionFactory(conference=conference, status="withdrawn")
    released = factories.SubmissionFactory(conference=conference, status="accepted")
    factories.DecisionFactory(submission=released, outcome=outcomes["oral"], status="released")
    client.force_login(conflicted_chair)
    numbers = [free.number, mine.number, withdrawn.number, released.number]
    data = {"action": "decide", "scope": "selected", "outcome": outcomes["poster"].pk}
    preview = client.post(bulk_url(conference), {**data, "numbers": numbers})
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "Set “Accept (poster)” on 1 paper?" in body
    assert "You are conflicted with this paper" in body
    assert "not under review" in body and "already released" in body
    assert not Decision.objects.filter(submission=free).exists()
    confirmed = client.post(bulk_url(conference), {**data, "numbers": numbers, "confirm": "1"})
    assert confirmed.status_code == 302
    assert Decision.objects.get(submission=free).outcome == outcomes["poster"]
    assert not Decision.objects.filter(submission=mine).exists()
    messages = [m.message for m in confirmed.wsgi_request._messages]
    assert any("Skipped 3" in m and f"#{mine.number}" in m for m in messages)


def test_bulk_all_matching_the_filter(chair_client, conference, outcomes):
    research, industry = conference.tracks.order_by("order")
    ours = [factories.SubmissionFactory(conference=conference, track=industry) for _ in range(3)]
    theirs = factories.SubmissionFactory(conference=conference, track=research)
    data = {
        "action": "decide",
        "scope": "matching",
        "filters": f"track={industry.pk}",
        "outcome": outcomes["reject"].pk,
    }
    preview = chair_client.post(bulk_url(conference), data)
    assert "on 3 papers?" in preview.content.decode()
    hidden = preview.context["changing"]
    chair_client.post(
        bulk_url(conference),
        {**data, "scope": "selected", "numbers": [p.paper.number for p in hidden], "confirm": "1"},
    )
    assert set(Decision.objects.values_list("submission_id", flat=True)) == {p.pk for p in ours}
    assert not Decision.objects.filter(submission=theirs).exists()


def test_bulk_without_papers_or_outcome_says_so(chair_client, conference):
    response = chair_client.post(bulk_url(conference), {"action": "decide", "scope": "selected"})
    messages = [m.message for m in response.wsgi_request._messages]
    assert response.status_code == 302
    assert "Choose the outcome to set." in messages
    assert any("Tick at least one paper" in m for m in messages)


def test_bulk_tags_reuse_the_submissions_service_and_skip_conflicts(
    client, conference, conflicted_chair
):
    free = factories.SubmissionFactory(conference=conference)
    mine = factories.SubmissionFactory(conference=conference)
    factories.ConflictFactory(submission=mine, user=conflicted_chair, state="confirmed")
    client.force_login(conflicted_chair)
    response = client.post(
        bulk_url(conference),
        {
            "action": "tag",
            "scope": "selected",
            "tag_name": "borderline",
            "numbers": [free.number, mine.number],
        },
    )
    assert response.status_code == 302
    assert list(free.tags.values_list("name", flat=True)) == ["borderline"]
    assert not mine.tags.exists()
    assert AuditEvent.objects.filter(action="submissions.tagged").count() == 1


def test_saved_views_are_per_chair(client, conference, chair, conflicted_chair):
    client.force_login(chair)
    views_url = reverse("decisions:saved_views", kwargs={"conference": conference.slug})
    response = client.post(
        views_url,
        {"name": "Split papers", "query": "gap=1.5&sort=-calibrated&cols=number&cols=gap&junk=1"},
    )
    view = SavedView.objects.get()
    assert view.owner == chair and view.query == "gap=1.5&sort=-calibrated&cols=number&cols=gap"
    assert response["Location"].endswith(f"?{view.query}")
    assert "Split papers" in client.get(dashboard_url(conference)).content.decode()
    client.force_login(conflicted_chair)
    assert "Split papers" not in client.get(dashboard_url(conference)).content.decode()
    assert client.post(views_url, {"delete": view.pk}).status_code == 404
    client.force_login(chair)
    client.post(views_url, {"delete": view.pk})
    assert not SavedView.objects.exists()


def test_saving_a_view_without_a_name_is_refused_politely(chair_client, conference):
    views_url = reverse("decisions:saved_views", kwargs={"conference": conference.slug})
    response = chair_client.post(views_url, {"name": "  ", "query": "gap=1"})
    assert response.status_code == 302 and not SavedView.objects.exists()


def read_csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_csv_has_every_matching_row_and_redacts_conflicts(
    client, conference, conflicted_chair, make_scored_paper
):
    mine = make_scored_paper(ml=[6], systems=[1], title='=HYPERLINK("x")')
    factories.ConflictFactory(submission=mine, user=conflicted_chair, state="confirmed")
    for _ in range(101):
        factories.SubmissionFactory(conference=conference)
    other = make_scored_paper(ml=[4], systems=[2])
    client.force_login(conflicted_chair)
    csv_url = reverse("decisions:dashboard_csv", kwargs={"conference": conference.slug})
    rows = read_csv(client.get(csv_url))
    assert len(rows) == 1 + 103  # every page
    header = rows[0]
    by_number = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    redacted = by_number[str(mine.number)]
    assert redacted["Title (links to the paper's reviews and discussion)"].startswith("'=")
    assert redacted["ML-side mean minus Systems-side mean (primary score)"] == ""
    assert redacted["conflicted"] == "yes"
    assert (
        by_number[str(other.number)]["ML-side mean minus Systems-side mean (primary score)"]
        == "+2.00"
    )
    all_rows = read_csv(client.get(f"{csv_url}?all=1&gap=1"))
    assert len(all_rows) == 2 and len(all_rows[0]) > len(header)


@pytest.mark.parametrize("papers", [1, 10])
def test_csv_and_htmx_row_queries_do_not_grow(
    chair_client, conference, make_scored_paper, outcomes, django_assert_num_queries, papers
):
    made = [make_scored_paper(ml=[i % 6 + 1], systems=[3]) for i in range(papers)]
    csv_url = reverse("decisions:dashboard_csv", kwargs={"conference": conference.slug})
    chair_client.get(csv_url)
    cache.clear()
    with django_assert_num_queries(QUERIES_CSV):
        assert len(read_csv(chair_client.get(csv_url))) == papers + 1
    cache.clear()
    ContentType.objects.clear_cache()  # the audit event's type: cached per process
    with django_assert_num_queries(QUERIES_ROW):
        chair_client.post(
            decide_url(conference, made[0].number), {"outcome": outcomes["oral"].pk}, **HTMX
        )


QUERIES_CSV = 21
QUERIES_ROW = 31


def test_the_bulk_preview_names_the_pending_decisions_it_replaces(
    chair_client, conference, outcomes
):
    paper = factories.SubmissionFactory(conference=conference)
    factories.DecisionFactory(submission=paper, outcome=outcomes["reject"])
    preview = chair_client.post(
        bulk_url(conference),
        {
            "action": "decide",
            "scope": "selected",
            "outcome": outcomes["oral"].pk,
            "numbers": [paper.number],
        },
    )
    assert "replaces pending “Reject”" in preview.content.decode()
    assert Decision.objects.get(submission=paper).outcome == outcomes["reject"]


def test_anonymous_posts_are_sent_to_log_in(client, conference, paper, outcomes):
    for url in (decide_url(conference, paper.number), bulk_url(conference)):
        response = client.post(url, {"outcome": outcomes["oral"].pk, "numbers": [paper.number]})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Decision.objects.exists()


def test_an_archived_conference_refuses_decisions(chair_client, conference, paper, outcomes):
    from django.utils import timezone

    conference.archived_at = timezone.now()
    conference.save()
    response = chair_client.post(
        decide_url(conference, paper.number), {"outcome": outcomes["oral"].pk}
    )
    assert response.status_code == 403 and not Decision.objects.exists()


@pytest.mark.parametrize("value", ["x", "²", "-1", "99999999999999999999999"])
def test_deleting_a_saved_view_with_a_bad_id_is_404(chair_client, conference, value):
    views_url = reverse("decisions:saved_views", kwargs={"conference": conference.slug})
    assert chair_client.post(views_url, {"delete": value}).status_code == 404


def test_bulk_with_bad_numbers_is_a_message(chair_client, conference, outcomes):
    response = chair_client.post(
        bulk_url(conference),
        {"action": "decide", "scope": "selected", "outcome": outcomes["oral"].pk, "numbers": ["x"]},
    )
    messages = [m.message for m in response.wsgi_request._messages]
    assert response.status_code == 302 and "Paper numbers are whole numbers." in messages


@pytest.mark.parametrize("role", ["ml_reviewer", "author", "outsider"])
def test_others_cannot_save_views_or_export(client, conference, role, request):
    client.force_login(request.getfixturevalue(role))
    views_url = reverse("decisions:saved_views", kwargs={"conference": conference.slug})
    assert client.post(views_url, {"name": "Mine", "query": "gap=1"}).status_code == 404
    assert not SavedView.objects.exists()


def test_anonymous_cannot_export(client, conference):
    csv_url = reverse("decisions:dashboard_csv", kwargs={"conference": conference.slug})
    response = client.get(csv_url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

"""Chair setup pages: valid changes are saved and audited; bad input shows field messages and
changes nothing."""

from datetime import UTC, datetime

from mlsys.conferences.enums import Area, DeadlineKind, Phase, PhaseMode
from mlsys.conferences.models import AOE, Conference, Deadline, PhaseSetting, Topic, Track
from mlsys.core.models import AuditEvent
from tests import factories


def settings_data(conference, **overrides):
    data = {
        "name": conference.name,
        "short_name": conference.short_name,
        "description": conference.description,
        "website": conference.website,
        "contact_email": conference.contact_email,
        "timezone": conference.timezone,
        "submission_grace_minutes": conference.submission_grace_minutes,
        "is_public": "on",
    }
    data.update(overrides)
    return data


def track_data(track, **overrides):
    data = {}
    for field in [
        "name",
        "slug",
        "description",
        "order",
        "anonymity",
        "page_limit",
        "paper_size",
        "min_font_size",
        "columns",
        "max_text_width_in",
        "max_text_height_in",
        "abstract_word_limit",
        "min_topics",
        "max_topics",
        "max_paper_mb",
        "max_supplement_mb",
        "reviewers_per_paper",
        "min_ml_reviewers",
        "min_systems_reviewers",
    ]:
        data[field] = getattr(track, field)
    for flag in ("references_count", "appendix_counts", "format_errors_block"):
        if getattr(track, flag):
            data[flag] = "on"
    data.update(overrides)
    return data


# --- settings ---------------------------------------------------------------------------------


def test_chair_changes_settings_and_the_change_is_audited(chair_client, conference, chair, url):
    response = chair_client.post(
        url("settings"),
        settings_data(conference, name="MLSys 2027 (Santa Clara)", timezone="UTC"),
    )
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.name == "MLSys 2027 (Santa Clara)"
    assert conference.timezone == "UTC"
    event = AuditEvent.objects.get(action="conference.updated")
    assert event.actor == chair
    assert event.changes == {
        "name": ["MLSys 2027", "MLSys 2027 (Santa Clara)"],
        "timezone": [AOE, "UTC"],
    }


def test_unknown_timezone_is_refused_with_a_field_message(chair_client, conference, url):
    response = chair_client.post(
        url("settings"), settings_data(conference, timezone="Mars/Olympus")
    )
    assert response.status_code == 200
    assert "timezone" in response.context["form"].errors
    assert "not a known time zone" in response.context["form"].errors["timezone"][0]
    assert Conference.objects.get(pk=conference.pk).timezone == AOE
    assert not AuditEvent.objects.exists()


# --- tracks -----------------------------------------------------------------------------------


def test_chair_creates_a_track(chair_client, conference, url):
    template = Track(name="Tools", slug="tools")
    response = chair_client.post(url("track_create"), track_data(template, page_limit=6))
    assert response.status_code == 302
    track = conference.tracks.get(slug="tools")
    assert track.page_limit == 6
    assert AuditEvent.objects.get(action="track.created").object_id == str(track.pk)


def test_min_topics_above_max_topics_is_refused(chair_client, conference, url):
    track = conference.tracks.get(slug="research")
    response = chair_client.post(
        url("track_edit", pk=track.pk), track_data(track, min_topics=4, max_topics=2)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["max_topics"] == [
        "Must be at least the minimum number of topics."
    ]
    track.refresh_from_db()
    assert (track.min_topics, track.max_topics) == (1, 5)


def test_reviewers_per_paper_below_the_side_minimums_is_refused(chair_client, conference, url):
    track = conference.tracks.get(slug="research")
    response = chair_client.post(
        url("track_edit", pk=track.pk),
        track_data(track, reviewers_per_paper=2, min_ml_reviewers=2, min_systems_reviewers=1),
    )
    assert response.status_code == 200
    assert "reviewers_per_paper" in response.context["form"].errors
    track.refresh_from_db()
    assert (track.reviewers_per_paper, track.min_ml_reviewers) == (3, 1)


def test_a_file_limit_above_the_sites_request_cap_is_refused(chair_client, conference, url):
    """MAX_REQUEST_BYTES (105 MiB by default) refuses larger bodies before they arrive."""
    track = conference.tracks.get(slug="research")
    response = chair_client.post(
        url("track_edit", pk=track.pk), track_data(track, max_supplement_mb=500)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["max_supplement_mb"] == [
        "This site accepts uploads of at most 100 MB (MAX_REQUEST_BYTES); ask whoever runs it "
        "to raise that limit first."
    ]
    track.refresh_from_db()
    assert track.max_supplement_mb == 100


def test_a_larger_request_cap_allows_larger_files(chair_client, conference, url, settings):
    settings.MAX_REQUEST_BYTES = 505 * 1024 * 1024
    track = conference.tracks.get(slug="research")
    response = chair_client.post(
        url("track_edit", pk=track.pk), track_data(track, max_supplement_mb=500)
    )
    assert response.status_code == 302
    track.refresh_from_db()
    assert track.max_supplement_mb == 500


def test_duplicate_track_slug_is_refused_on_the_field(chair_client, conference, url):
    track = conference.tracks.get(slug="research")
    response = chair_client.post(url("track_edit", pk=track.pk), track_data(track, slug="industry"))
    assert response.context["form"].errors["slug"]
    assert Track.objects.get(pk=track.pk).slug == "research"


def test_track_edit_is_audited_with_before_and_after(chair_client, conference, chair, url):
    track = conference.tracks.get(slug="research")
    chair_client.post(url("track_edit", pk=track.pk), track_data(track, page_limit=12))
    event = AuditEvent.objects.get(action="track.updated")
    assert event.changes == {"page_limit": [10, 12]}
    assert event.actor == chair


def test_track_without_submissions_is_deleted(chair_client, conference, url):
    track = factories.TrackFactory(conference=conference, name="Tools", slug="tools")
    response = chair_client.post(url("track_delete", pk=track.pk))
    assert response.status_code == 302
    assert not Track.objects.filter(pk=track.pk).exists()
    assert AuditEvent.objects.filter(action="track.deleted", object_id=str(track.pk)).exists()


def test_track_with_submissions_is_not_deleted(chair_client, conference, url):
    track = conference.tracks.get(slug="research")
    factories.SubmissionFactory(
        conference=conference, track=track, number=1, title="T", abstract="A", status="draft"
    )
    response = chair_client.post(url("track_delete", pk=track.pk), follow=True)
    assert Track.objects.filter(pk=track.pk).exists()
    assert "cannot be deleted" in response.content.decode()
    assert not AuditEvent.objects.filter(action="track.deleted").exists()


# --- topics -----------------------------------------------------------------------------------


def test_chair_adds_one_topic_at_the_end_of_its_area(chair_client, conference, url):
    response = chair_client.post(url("topic_create"), {"name": "Serving", "area": Area.SYSTEMS})
    assert response.status_code == 302
    topic = conference.topics.get(name="Serving")
    assert (topic.area, topic.order) == (Area.SYSTEMS, 3)
    assert AuditEvent.objects.filter(action="topic.created").count() == 1


def test_duplicate_topic_name_is_refused_on_the_field(chair_client, conference, url):
    response = chair_client.post(url("topic_create"), {"name": "compilers", "area": Area.ML})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "This conference already has a topic with this name."
    ]
    assert conference.topics.count() == 6


def test_bulk_add_creates_every_line(chair_client, conference, url):
    response = chair_client.post(
        url("topic_bulk_create"),
        {"bulk-area": Area.ML, "bulk-names": "Federated learning\n\n  Quantization  \n"},
    )
    assert response.status_code == 302
    added = list(conference.topics.filter(area=Area.ML, order__gte=3).values_list("name", "order"))
    assert added == [("Federated learning", 3), ("Quantization", 4)]
    event = AuditEvent.objects.get(action="topic.bulk_created")
    assert event.changes["topics"] == [None, ["Federated learning", "Quantization"]]


def test_bulk_add_with_a_duplicate_adds_nothing(chair_client, conference, url):
    response = chair_client.post(
        url("topic_bulk_create"),
        {"bulk-area": Area.ML, "bulk-names": "Federated learning\nLLMs\nfederated learning"},
    )
    assert response.status_code == 200
    errors = response.context["bulk_form"].errors["names"]
    assert "“LLMs” already exists." in errors
    assert "“federated learning” is listed twice." in errors
    assert conference.topics.count() == 6


def test_topic_in_use_is_not_deleted(chair_client, conference, url):
    topic = conference.topics.get(name="LLMs")
    submission = factories.SubmissionFactory(
        conference=conference,
        track=conference.tracks.first(),
        number=1,
        title="T",
        abstract="A",
        status="draft",
    )
    submission.topics.add(topic)
    response = chair_client.post(url("topic_delete", pk=topic.pk), follow=True)
    assert Topic.objects.filter(pk=topic.pk).exists()
    assert "a topic in use cannot be deleted" in response.content.decode()


def test_unused_topic_is_deleted_and_audited(chair_client, conference, url):
    topic = conference.topics.get(name="LLMs")
    chair_client.post(url("topic_delete", pk=topic.pk))
    assert not Topic.objects.filter(pk=topic.pk).exists()
    assert AuditEvent.objects.get(action="topic.deleted").changes["name"] == ["LLMs", None]


def test_topic_rename(chair_client, conference, url):
    topic = conference.topics.get(name="LLMs")
    response = chair_client.post(
        url("topic_edit", pk=topic.pk), {"name": "Large language models", "area": Area.ML}
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.name, topic.order) == ("Large language models", 2)


# --- deadlines --------------------------------------------------------------------------------


def deadline_data(conference, **overrides):
    data = {
        d.kind: d.at.astimezone(conference.tz).strftime("%Y-%m-%dT%H:%M")
        for d in conference.deadlines.all()
    }
    data.update(overrides)
    return data


def test_deadline_entered_in_aoe_is_stored_in_utc(chair_client, conference, url):
    data = dict.fromkeys(DeadlineKind.values, "")
    data.update(
        registration="2027-10-23T23:59",
        submission="2027-10-30T23:59",
    )
    response = chair_client.post(url("deadlines"), data)
    assert response.status_code == 302
    stored = conference.deadlines.get(kind=DeadlineKind.SUBMISSION).at
    assert stored == datetime(2027, 10, 31, 11, 59, tzinfo=UTC)
    # empty fields removed the other deadlines
    assert set(conference.deadlines.values_list("kind", flat=True)) == {
        "registration",
        "submission",
    }
    event = AuditEvent.objects.get(action="deadlines.updated")
    assert event.changes["submission"][1] == "2027-10-31T11:59:00+00:00"


def test_deadline_in_another_zone_is_read_in_that_zone(chair_client, conference, url):
    conference.timezone = "America/Los_Angeles"
    conference.save(update_fields=["timezone"])
    data = dict.fromkeys(DeadlineKind.values, "")
    data["submission"] = "2027-10-30T17:00"
    chair_client.post(url("deadlines"), data)
    stored = conference.deadlines.get(kind=DeadlineKind.SUBMISSION).at
    assert stored == datetime(2027, 10, 31, 0, 0, tzinfo=UTC)


def test_deadlines_form_shows_the_zone_and_current_values_in_it(chair_client, conference, url):
    response = chair_client.get(url("deadlines"))
    body = response.content.decode()
    assert "AoE" in body
    submission = conference.deadlines.get(kind="submission").at.astimezone(conference.tz)
    assert f'value="{submission:%Y-%m-%dT%H:%M}"' in body
    assert 'type="datetime-local"' in body


def test_deadlines_out_of_order_are_refused_field_by_field(chair_client, conference, url):
    before = {d.kind: d.at for d in conference.deadlines.all()}
    response = chair_client.post(
        url("deadlines"),
        deadline_data(
            conference,
            submission="2027-10-20T23:59",
            registration="2027-10-25T23:59",
            response_open="2028-01-20T00:00",
            response_close="2028-01-20T00:00",
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["submission"] == ["Must be on or after “Abstract registration”."]
    assert errors["response_close"] == ["Must be after “Author response opens”."]
    assert {d.kind: d.at for d in Deadline.objects.filter(conference=conference)} == before
    assert not AuditEvent.objects.exists()


def test_unparseable_deadline_is_a_field_error(chair_client, conference, url):
    response = chair_client.post(url("deadlines"), deadline_data(conference, bidding="soon"))
    assert "bidding" in response.context["form"].errors


# --- phases -----------------------------------------------------------------------------------


def test_closing_submission_changes_the_current_phase(chair_client, conference, url):
    assert conference.timeline().current == Phase.SUBMISSION
    data = dict.fromkeys(("submission", "bidding", "reviewing", "response"), PhaseMode.AUTO)
    data.update(
        dict.fromkeys(("discussion", "camera_ready", "artifact_evaluation"), PhaseMode.AUTO),
        submission=PhaseMode.CLOSED,
        bidding=PhaseMode.OPEN,
    )
    response = chair_client.post(url("phases"), data)
    assert response.status_code == 302
    fresh = Conference.objects.get(pk=conference.pk)
    assert fresh.timeline().current == Phase.BIDDING
    assert set(PhaseSetting.objects.values_list("phase", "mode")) == {
        ("submission", "closed"),
        ("bidding", "open"),
    }
    event = AuditEvent.objects.get(action="phases.updated")
    assert event.changes == {"submission": ["auto", "closed"], "bidding": ["auto", "open"]}


def test_phases_page_shows_windows_and_open_state(chair_client, conference, url):
    body = chair_client.get(url("phases")).content.decode()
    assert "from the start" in body
    assert "Follow the deadlines" in body
    assert body.count('class="badge ok">Open<') == 1

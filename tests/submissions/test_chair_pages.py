"""The chairs' submission page, desk reject, bulk actions, conflict decisions and export."""

import csv
import io
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse

from mlsys.core import audit
from mlsys.core.models import AuditEvent
from mlsys.mail.models import OutboundEmail
from submissions.models import Conflict, Submission, Tag
from tests import factories


def url(name, conference, **kwargs):
    return reverse(f"submissions:{name}", kwargs={"conference": conference.slug, **kwargs})


@pytest.fixture
def submission(conference, author):
    sub = factories.SubmissionFactory(
        conference=conference, number=7, title="Sparse kernels", authors=[author]
    )
    factories.AuthorFactory(
        submission=sub, name="Bea Second", email="bea@second.example.net", affiliation="Lab B"
    )
    old = factories.SubmissionFileFactory(submission=sub, check_status="failed", pages=14)
    old.report = {"errors": [{"message": "14 pages, the limit is 10."}]}
    old.save()
    new = factories.SubmissionFileFactory(submission=sub, pages=10, sha256="ab" * 32)
    sub.current_paper = new
    sub.save()
    audit.record("submissions.created", actor=author, target=sub)
    audit.record("files.checked", target=old, note="format check")
    return sub


def test_detail_shows_authors_versions_report_conflicts_and_history(
    client, chair, conference, submission, conflicted_reviewer
):
    factories.ConflictFactory(
        submission=submission, user=conflicted_reviewer, source="email_domain", detail="x.edu"
    )
    client.force_login(chair)
    response = client.get(url("chair_detail", conference, number=7))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Sparse kernels", "Bea Second", "bea@second.example.net", "Lab B",
                 "14 pages, the limit is 10.", "ab" * 32, "Connie Flict", "x.edu",
                 "submissions.created", "files.checked", "format check"):  # fmt: skip
        assert text in html
    assert len(response.context["versions"]) == 2
    assert [e.action for e in response.context["history"]] == [
        "files.checked",
        "submissions.created",
    ]


def test_desk_reject_changes_status_audits_and_emails_every_author(
    client, chair, conference, submission, django_capture_on_commit_callbacks
):
    client.force_login(chair)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("chair_desk_reject", conference, number=7), {"reason": "Not anonymous."}
        )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.status, submission.status_reason) == ("desk_rejected", "Not anonymous.")
    event = AuditEvent.objects.get(action="submissions.status.desk_rejected")
    assert (event.actor, event.note) == (chair, "Not anonymous.")
    email = OutboundEmail.objects.get(template_key="submissions.receipt")
    assert email.to == ["ada@uni.example.edu", "bea@second.example.net"]
    assert len(mail.outbox) == 1
    assert "Not anonymous." in mail.outbox[0].body


def test_desk_reject_without_reason_is_refused_and_nothing_changes(
    client, chair, conference, submission
):
    client.force_login(chair)
    response = client.post(url("chair_desk_reject", conference, number=7), {"reason": ""})
    assert response.status_code == 400
    assert response.context["desk_reject_form"].errors["reason"]
    submission.refresh_from_db()
    assert submission.status == "submitted"
    assert not OutboundEmail.objects.exists()


def test_bulk_desk_reject_all_selected_in_one_go(client, chair, conference, submission):
    other = factories.SubmissionFactory(conference=conference, number=8)
    factories.AuthorFactory(submission=other, email="carl@third.example.net")
    untouched = factories.SubmissionFactory(conference=conference, number=9)
    client.force_login(chair)
    response = client.post(
        url("chair_bulk", conference),
        {"numbers": [7, 8], "action": "desk_reject", "reason": "Out of scope."},
    )
    assert response.status_code == 302
    assert dict(Submission.objects.values_list("number", "status")) == {
        7: "desk_rejected",
        8: "desk_rejected",
        9: "submitted",
    }
    assert AuditEvent.objects.filter(action="submissions.status.desk_rejected").count() == 2
    assert sorted(e for m in OutboundEmail.objects.all() for e in m.to) == [
        "ada@uni.example.edu",
        "bea@second.example.net",
        "carl@third.example.net",
    ]
    untouched.refresh_from_db()
    assert untouched.status == "submitted"


def test_bulk_desk_reject_is_all_or_nothing(client, chair, conference, submission):
    factories.SubmissionFactory(conference=conference, number=8, status="draft")
    client.force_login(chair)
    response = client.post(
        url("chair_bulk", conference),
        {"numbers": [7, 8], "action": "desk_reject", "reason": "Out of scope."},
        follow=True,
    )
    assert "#8" in response.content.decode()
    assert dict(Submission.objects.values_list("number", "status")) == {
        7: "submitted",
        8: "draft",
    }
    assert not OutboundEmail.objects.exists()


def test_bulk_tag_add_and_remove(client, chair, conference, submission):
    factories.SubmissionFactory(conference=conference, number=8)
    client.force_login(chair)
    client.post(
        url("chair_bulk", conference), {"numbers": [7, 8], "action": "add_tag", "tag": "AE"}
    )
    tag = Tag.objects.get(conference=conference, name="AE")
    assert sorted(tag.submissions.values_list("number", flat=True)) == [7, 8]
    client.post(
        url("chair_bulk", conference), {"numbers": [8], "action": "remove_tag", "tag": "AE"}
    )
    assert list(tag.submissions.values_list("number", flat=True)) == [7]
    assert AuditEvent.objects.filter(action="submissions.tagged").count() == 2
    assert AuditEvent.objects.filter(action="submissions.untagged").count() == 1


def test_bulk_without_selection_changes_nothing(client, chair, conference, submission):
    client.force_login(chair)
    response = client.post(
        url("chair_bulk", conference), {"action": "desk_reject", "reason": "x"}, follow=True
    )
    assert "Select submissions first." in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == "submitted"


@pytest.mark.parametrize("state", ["confirmed", "pinned", "dismissed"])
def test_chair_decides_on_a_conflict(client, chair, conference, submission, ml_reviewer, state):
    conflict = factories.ConflictFactory(
        submission=submission, user=ml_reviewer, source="affiliation"
    )
    client.force_login(chair)
    response = client.post(
        url("chair_conflict", conference, number=7, pk=conflict.pk), {"state": state}
    )
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.state == state
    event = AuditEvent.objects.get(action=f"conflict.{state}")
    assert event.changes == {"state": ["suggested", state]}
    assert event.content_type == ContentType.objects.get_for_model(Conflict)


def test_conflict_of_another_submission_is_404(client, chair, conference, submission, ml_reviewer):
    other = factories.SubmissionFactory(conference=conference, number=8)
    conflict = factories.ConflictFactory(submission=other, user=ml_reviewer)
    client.force_login(chair)
    response = client.post(
        url("chair_conflict", conference, number=7, pk=conflict.pk), {"state": "pinned"}
    )
    assert response.status_code == 404
    conflict.refresh_from_db()
    assert conflict.state == "suggested"


def test_export_csv_contains_identities_pages_and_hash(client, chair, conference, submission):
    factories.SubmissionFactory(conference=conference, number=8, title="=HYPERLINK()")
    client.force_login(chair)
    response = client.get(url("chair_export", conference) + "?format=csv&sort=-number")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["number"] for r in rows] == ["8", "7"]
    assert rows[0]["title"] == "'=HYPERLINK()"
    row = rows[1]
    assert row["authors"] == "Ada Author; Bea Second"
    assert row["author_emails"] == "ada@uni.example.edu; bea@second.example.net"
    assert (row["track"], row["status"], row["pages"]) == ("Research", "submitted", "10")
    assert (row["check_status"], row["sha256"]) == ("passed", "ab" * 32)


def test_export_json_follows_the_filters(client, chair, conference, submission):
    factories.SubmissionFactory(conference=conference, number=8, title="Other")
    client.force_login(chair)
    response = client.get(url("chair_export", conference) + "?format=json&q=sparse")
    data = json.loads(response.content)["submissions"]
    assert [d["number"] for d in data] == [7]
    assert data[0]["authors"][1] == {
        "name": "Bea Second",
        "email": "bea@second.example.net",
        "affiliation": "Lab B",
    }


@pytest.mark.parametrize("count", [1, 10])
def test_export_query_count_does_not_grow(
    client, chair, conference, count, django_assert_num_queries
):
    for _ in range(count):
        sub = factories.SubmissionFactory(conference=conference)
        factories.AuthorFactory(submission=sub)
        sub.current_paper = factories.SubmissionFileFactory(submission=sub)
        sub.save()
    client.force_login(chair)
    # 14: three of them read the chair's conflicts (the tags of those papers are left out).
    with django_assert_num_queries(14):
        response = client.get(url("chair_export", conference) + "?format=json")
        assert len(json.loads(response.content)["submissions"]) == count


@pytest.mark.parametrize("who", ["ml_reviewer", "conflicted_reviewer", "author", "outsider"])
@pytest.mark.parametrize(
    ("name", "method", "kwargs"),
    [
        ("chair_detail", "get", {"number": 7}),
        ("chair_export", "get", {}),
        ("chair_bulk", "post", {}),
        ("chair_desk_reject", "post", {"number": 7}),
        ("chair_recompute_conflicts", "post", {}),
    ],
)
def test_chair_pages_are_404_for_others(
    client, conference, submission, request, who, name, method, kwargs
):
    client.force_login(request.getfixturevalue(who))
    data = {"numbers": [7], "action": "desk_reject", "reason": "x"} if method == "post" else None
    response = getattr(client, method)(url(name, conference, **kwargs), data)
    assert response.status_code == 404
    submission.refresh_from_db()
    assert submission.status == "submitted"


def test_conflict_decision_is_404_for_pc_members(
    client, conference, submission, ml_reviewer, conflicted_reviewer
):
    conflict = factories.ConflictFactory(submission=submission, user=conflicted_reviewer)
    client.force_login(ml_reviewer)
    response = client.post(
        url("chair_conflict", conference, number=7, pk=conflict.pk), {"state": "dismissed"}
    )
    assert response.status_code == 404
    conflict.refresh_from_db()
    assert conflict.state == "suggested"


def test_anonymous_chair_detail_redirects_to_login(client, conference, submission):
    response = client.get(url("chair_detail", conference, number=7))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_chair_downloads_every_version_through_the_protected_view(
    client, chair, conference, submission, outsider
):
    client.force_login(chair)
    versions = client.get(url("chair_detail", conference, number=7)).context["versions"]
    response = client.get(versions[1].download_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(outsider)
    assert client.get(versions[1].download_url).status_code == 404


def test_bulk_messages_use_proper_plurals(client, chair, conference, submission):
    factories.SubmissionFactory(conference=conference, number=8)
    client.force_login(chair)
    bulk = url("chair_bulk", conference)
    response = client.post(bulk, {"numbers": [7], "action": "add_tag", "tag": "AE"}, follow=True)
    assert "Tagged 1 submission “AE”." in response.content.decode()
    response = client.post(
        bulk, {"numbers": [7, 8], "action": "remove_tag", "tag": "AE"}, follow=True
    )
    assert "Untagged 1 submission “AE”." in response.content.decode()
    response = client.post(
        bulk, {"numbers": [7], "action": "desk_reject", "reason": "Out of scope."}, follow=True
    )
    html = response.content.decode()
    assert "Desk-rejected 1 submission." in html and "(s)" not in html

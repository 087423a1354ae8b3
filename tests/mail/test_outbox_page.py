"""The chairs' outbox page (issue 13): failed and stuck email per conference, with a resend.

Program chairs only; email about a paper the chair is conflicted with is neither listed nor
counted (its subject names the paper and its outcome), and no body is ever shown."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences import enums
from mlsys.mail.models import OutboundEmail
from tests import factories

S = OutboundEmail.Status


def outbox_url(conference) -> str:
    return reverse("mail:outbox", kwargs={"conference": conference.slug})


def _email(conference, status=S.FAILED, **fields) -> OutboundEmail:
    defaults = {
        "to": ["ada@example.org"],
        "subject": "Receipt",
        "body": "SECRET-BODY",
        "attempts": 1,
        "last_error": "SMTPRecipientsRefused: ada@example.org: 550 5.1.1 No such user here",
    }
    return factories.OutboundEmailFactory(
        conference=conference, status=status, **{**defaults, **fields}
    )


@pytest.fixture
def rows(conference):
    now = timezone.now()
    return {
        "failed": _email(conference, subject="Failed receipt"),
        "retrying": _email(
            conference,
            S.PENDING,
            subject="Retrying receipt",
            attempts=2,
            last_error="SMTPRecipientsRefused: ada@example.org: 451 4.3.0 try later",
            next_attempt_at=now + timedelta(minutes=2),
        ),
        "fresh": _email(conference, S.PENDING, subject="Fresh receipt", attempts=0, last_error=""),
        "held": _email(conference, S.HELD, subject="Held letter", attempts=0, last_error=""),
        "sent": _email(conference, S.SENT, subject="Sent receipt", last_error=""),
        "demo": _email(conference, S.SUPPRESSED, subject="Demo receipt", attempts=0),
    }


@pytest.mark.django_db
def test_chair_sees_counts_and_the_failed_held_and_retrying_rows_without_bodies(
    chair_client, conference, rows
):
    response = chair_client.get(outbox_url(conference))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("failed", "retrying", "held"):
        assert f'id="email-{rows[name].pk}"' in html
    for name in ("fresh", "sent", "demo"):
        assert f'id="email-{rows[name].pk}"' not in html
    assert "550 5.1.1 No such user here" in html
    assert "451 4.3.0 try later" in html
    assert "SECRET-BODY" not in html
    assert 'id="count-failed">1<' in html
    assert 'id="count-waiting">1<' in html
    assert 'id="count-retrying">1<' in html
    assert 'id="count-suppressed">1<' in html
    assert "Not sent (demo)" in html
    assert (
        reverse("mail:resend", kwargs={"conference": conference.slug, "pk": rows["failed"].pk})
        in html
    )
    assert reverse("mail:resend_failed", kwargs={"conference": conference.slug}) in html
    assert " style=" not in html and "<script>" not in html


@pytest.mark.django_db(transaction=True)
def test_resend_one_asks_first_then_sends_it(chair_client, conference, rows):
    url = reverse("mail:resend", kwargs={"conference": conference.slug, "pk": rows["failed"].pk})
    confirm = chair_client.get(url)
    assert confirm.status_code == 200
    assert "Failed receipt" in confirm.content.decode()
    assert OutboundEmail.objects.get(pk=rows["failed"].pk).status == S.FAILED

    response = chair_client.post(url)

    assert response.status_code == 302
    email = OutboundEmail.objects.get(pk=rows["failed"].pk)
    assert (email.status, email.attempts) == (S.SENT, 1)
    assert [m.subject for m in mail.outbox] == ["Failed receipt"]
    # Nothing else moved.
    assert OutboundEmail.objects.get(pk=rows["held"].pk).status == S.HELD
    assert OutboundEmail.objects.get(pk=rows["demo"].pk).status == S.SUPPRESSED


@pytest.mark.django_db
def test_resend_of_a_row_that_is_not_failed_does_nothing(chair_client, conference, rows):
    url = reverse("mail:resend", kwargs={"conference": conference.slug, "pk": rows["held"].pk})
    assert "nothing to resend" in chair_client.get(url).content.decode()
    chair_client.post(url)
    assert OutboundEmail.objects.get(pk=rows["held"].pk).status == S.HELD
    sent = reverse("mail:resend", kwargs={"conference": conference.slug, "pk": rows["sent"].pk})
    assert chair_client.get(sent).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_resend_all_failed_lists_what_it_touches_then_resends_only_failed_rows(
    chair_client, conference, rows
):
    second = _email(conference, subject="Second failure")
    url = reverse("mail:resend_failed", kwargs={"conference": conference.slug})
    page = chair_client.get(url).content.decode()
    assert "These 2 failed emails will be sent again" in page
    assert "Failed receipt" in page and "Second failure" in page
    assert "Retrying receipt" not in page and "Held letter" not in page

    chair_client.post(url)

    assert set(
        OutboundEmail.objects.filter(pk__in=[rows["failed"].pk, second.pk]).values_list(
            "status", flat=True
        )
    ) == {S.SENT}
    assert sorted(m.subject for m in mail.outbox) == ["Failed receipt", "Second failure"]
    assert OutboundEmail.objects.get(pk=rows["retrying"].pk).status == S.PENDING


@pytest.mark.django_db
def test_resend_all_with_one_failed_email_speaks_of_one(chair_client, conference, rows):
    page = chair_client.get(
        reverse("mail:resend_failed", kwargs={"conference": conference.slug})
    ).content.decode()
    assert "This failed email will be sent again" in page
    assert "if the server does not take it)" in page
    assert "These 1" not in page


@pytest.mark.django_db
def test_the_outbox_is_linked_from_the_chairs_conference_pages(chair_client, conference):
    """A chair finds the outbox from the conference's setup links, not only from the email
    templates page."""
    page = chair_client.get(conference.get_absolute_url()).content.decode()
    assert f'href="{outbox_url(conference)}"' in page


@pytest.mark.django_db
def test_another_conferences_email_is_not_listed_or_resent(chair_client, conference, rows):
    other = factories.ConferenceFactory(slug="other2027")
    theirs = _email(other, subject="Their failure")
    assert "Their failure" not in chair_client.get(outbox_url(conference)).content.decode()
    url = reverse("mail:resend", kwargs={"conference": conference.slug, "pk": theirs.pk})
    assert chair_client.get(url).status_code == 404
    assert chair_client.post(url).status_code == 404
    chair_client.post(reverse("mail:resend_failed", kwargs={"conference": conference.slug}))
    assert OutboundEmail.objects.get(pk=theirs.pk).status == S.FAILED


@pytest.mark.django_db
def test_email_about_a_paper_the_chair_is_conflicted_with_is_hidden(
    client, conference, conflicted_chair, rows
):
    paper = factories.SubmissionFactory(conference=conference, number=12)
    factories.ConflictFactory(submission=paper, user=conflicted_chair, state="confirmed")
    letter = _email(
        conference,
        S.HELD,
        subject="[MLSYS2027] Paper #12 accepted: Secret Title",
        paper_number=12,
        attempts=0,
    )
    failed_about_it = _email(conference, subject="Invitation to review paper #12", paper_number=12)
    other_paper = _email(conference, subject="Decision on paper #3", paper_number=3)
    client.force_login(conflicted_chair)

    html = client.get(outbox_url(conference)).content.decode()

    assert "Secret Title" not in html and "paper #12" not in html
    assert f'id="email-{other_paper.pk}"' in html
    assert 'id="outbox-conflicts"' in html
    assert 'id="count-held">1<' in html  # rows["held"] only; the letter is not counted
    held = client.get(outbox_url(conference) + "?status=held").content.decode()
    assert f'id="email-{rows["held"].pk}"' in held and "Secret Title" not in held
    url = reverse("mail:resend", kwargs={"conference": conference.slug, "pk": failed_about_it.pk})
    assert client.get(url).status_code == 404
    client.post(reverse("mail:resend_failed", kwargs={"conference": conference.slug}))
    assert OutboundEmail.objects.get(pk=failed_about_it.pk).status == S.FAILED
    assert OutboundEmail.objects.get(pk=letter.pk).status == S.HELD


@pytest.mark.django_db
def test_an_unconflicted_chair_sees_the_paper_email(chair_client, conference, rows):
    factories.SubmissionFactory(conference=conference, number=12)
    _email(conference, S.HELD, subject="Paper #12 accepted: Title", paper_number=12, attempts=0)
    html = chair_client.get(outbox_url(conference)).content.decode()
    assert "Paper #12 accepted: Title" in html
    assert 'id="outbox-conflicts"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["pc_member", "area_chair", "author", "outsider", "other_chair"])
def test_everyone_but_the_conferences_chairs_is_refused(client, conference, rows, role):
    user = factories.UserFactory()
    if role in ("pc_member", "area_chair"):
        factories.MembershipFactory(conference=conference, user=user, role=role, side="ML")
    elif role == "author":
        factories.AuthorFactory(
            submission=factories.SubmissionFactory(conference=conference), user=user
        )
    elif role == "other_chair":
        other = factories.ConferenceFactory(slug="other2027")
        factories.MembershipFactory(conference=other, user=user, role=enums.Role.PROGRAM_CHAIR)
    client.force_login(user)
    pk = rows["failed"].pk
    urls = [
        outbox_url(conference),
        reverse("mail:resend", kwargs={"conference": conference.slug, "pk": pk}),
        reverse("mail:resend_failed", kwargs={"conference": conference.slug}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert OutboundEmail.objects.get(pk=pk).status == S.FAILED


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client, conference):
    response = client.get(outbox_url(conference))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 10])
def test_query_count_does_not_grow_with_rows(
    chair_client, conference, django_assert_num_queries, count
):
    for i in range(count):
        _email(conference, subject=f"Failure {i}")
    chair_client.get(outbox_url(conference))  # the session and the viewer's facts warm up
    with django_assert_num_queries(QUERIES):
        response = chair_client.get(outbox_url(conference))
    assert response.content.decode().count('id="email-') == count


#: Session, user, conference (+ schedule: 2), roles, conflicts (3), counts, rows (count + page).
QUERIES = 12


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 10])
def test_query_count_of_one_state_does_not_grow_with_rows(
    chair_client, conference, django_assert_num_queries, count
):
    now = timezone.now()
    for i in range(count):
        _email(conference, S.PENDING, subject=f"Retry {i}", next_attempt_at=now)
    url = outbox_url(conference) + "?status=retrying"
    chair_client.get(url)
    with django_assert_num_queries(QUERIES):
        response = chair_client.get(url)
    assert response.content.decode().count('id="email-') == count


@pytest.mark.django_db
def test_a_retrying_email_is_counted_and_listed_as_retrying_not_as_pending(
    chair_client, conference, rows
):
    """An email whose first attempt failed and that waits for the next one is "Retrying" in the
    counts as in the list, and the count lists exactly those emails, with the attempts, the
    server's last error and the next attempt; "Waiting to be sent" is email not tried yet."""
    html = chair_client.get(outbox_url(conference)).content.decode()
    counts = html[html.index('id="outbox-counts"') : html.index('id="attention-heading"')]
    assert "Pending" not in counts
    assert '<a href="?status=retrying">Retrying</a></dt><dd id="count-retrying">1<' in counts
    waiting_count = '<a href="?status=waiting">Waiting to be sent</a></dt><dd id="count-waiting">1<'
    assert waiting_count in counts

    retrying = chair_client.get(outbox_url(conference) + "?status=retrying")

    page = retrying.content.decode()
    assert retrying.context["state"] == "retrying"
    assert page.count('id="email-') == 1
    row = page[page.index(f'id="email-{rows["retrying"].pk}"') :]
    row = row[: row.index("</tr>")]
    assert '<span class="badge warn">Retrying</span>' in row
    assert "<td>2</td>" in row and "451 4.3.0 try later" in row
    assert row.count("<time ") == 2  # queued, and the next attempt
    assert 'aria-current="true">Retrying</a>' in page
    assert "Resend all failed email" not in page

    waiting = chair_client.get(outbox_url(conference) + "?status=waiting").content.decode()
    assert waiting.count('id="email-') == 1
    assert f'id="email-{rows["fresh"].pk}"' in waiting
    assert ">Waiting to be sent</span>" in waiting and ">Retrying</span>" not in waiting


@pytest.mark.django_db
def test_every_state_lists_its_own_rows_and_an_unknown_one_lists_those_needing_attention(
    chair_client, conference, rows
):
    listed = {}
    for state in ("held", "waiting", "retrying", "sending", "sent", "failed", "suppressed"):
        html = chair_client.get(outbox_url(conference) + f"?status={state}").content.decode()
        listed[state] = {name for name, email in rows.items() if f'id="email-{email.pk}"' in html}
    assert listed == {
        "held": {"held"},
        "waiting": {"fresh"},
        "retrying": {"retrying"},
        "sending": set(),
        "sent": {"sent"},
        "failed": {"failed"},
        "suppressed": {"demo"},
    }
    html = chair_client.get(outbox_url(conference) + "?status=pending").content.decode()
    assert {name for name, email in rows.items() if f'id="email-{email.pk}"' in html} == {
        "failed",
        "retrying",
        "held",
    }


@pytest.mark.django_db
def test_the_outbox_is_paginated(chair_client, conference):
    for i in range(55):
        _email(conference, subject=f"Failure {i}")
    first = chair_client.get(outbox_url(conference)).content.decode()
    assert first.count('id="email-') == 50
    assert "Page 1 of 2" in first
    second = chair_client.get(outbox_url(conference) + "?page=2").content.decode()
    assert second.count('id="email-') == 5


@pytest.mark.django_db
def test_letters_prepared_before_the_migration_get_their_papers_number(conference):
    """The data migration numbers existing decision letters, so they are hidden too."""
    import importlib

    from django.db import connection

    from decisions.models import LetterEmail

    migration = importlib.import_module("mlsys.mail.migrations.0004_outbox_retry_schedule")
    paper = factories.SubmissionFactory(conference=conference, number=12)
    email = _email(conference, S.HELD, subject="Paper #12 accepted", attempts=0)
    LetterEmail.objects.create(
        decision=factories.DecisionFactory(submission=paper), recipient="a@x.org", email=email
    )
    assert email.paper_number is None

    migration._number_existing_letters(OutboundEmail, connection)

    assert OutboundEmail.objects.get(pk=email.pk).paper_number == 12


@pytest.mark.django_db
def test_a_first_attempt_in_progress_is_not_listed_but_a_retry_in_progress_is(
    chair_client, conference
):
    first = _email(conference, S.SENDING, subject="First try", attempts=1, last_error="")
    again = _email(conference, S.SENDING, subject="Second try", attempts=2)
    html = chair_client.get(outbox_url(conference)).content.decode()
    assert f'id="email-{first.pk}"' not in html
    assert f'id="email-{again.pk}"' in html
    assert 'id="count-sending">2<' in html

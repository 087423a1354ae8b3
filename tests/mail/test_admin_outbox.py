"""The outbox in the Django admin (issue 13): failed rows are found by status, conference,
recipient or subject, and the "resend" action puts the failed ones back on a fresh schedule."""

import pytest
from django.core import mail
from django.urls import reverse

from mlsys.mail.models import OutboundEmail
from tests import factories

S = OutboundEmail.Status


@pytest.fixture
def root(client):
    user = factories.UserFactory(email="root@example.org", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.mark.django_db(transaction=True)
def test_resend_action_sends_the_failed_rows_and_leaves_the_others(client, root, conference):
    failed = factories.OutboundEmailFactory(
        conference=conference, status=S.FAILED, attempts=9, subject="Lost receipt"
    )
    held = factories.OutboundEmailFactory(conference=conference, status=S.HELD, subject="Letter")
    demo = factories.OutboundEmailFactory(status=S.SUPPRESSED, subject="Demo")
    url = reverse("admin:mail_outboundemail_changelist")

    response = client.post(
        url,
        {"action": "resend", "_selected_action": [failed.pk, held.pk, demo.pk]},
        follow=True,
    )

    assert "Resending 1 email(s) (2 not failed, left alone)." in response.content.decode()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (S.SENT, 1)
    assert [m.subject for m in mail.outbox] == ["Lost receipt"]
    assert OutboundEmail.objects.get(pk=held.pk).status == S.HELD
    assert OutboundEmail.objects.get(pk=demo.pk).status == S.SUPPRESSED


@pytest.mark.django_db
def test_failed_rows_are_found_by_status_conference_recipient_and_subject(client, root, conference):
    factories.OutboundEmailFactory(
        conference=conference, status=S.FAILED, to=["zed@example.org"], subject="Lost receipt"
    )
    factories.OutboundEmailFactory(conference=conference, status=S.SENT, subject="Fine")
    url = reverse("admin:mail_outboundemail_changelist")
    for query in (
        f"?status=failed&conference__id__exact={conference.pk}",
        "?q=zed@example",
        "?q=Lost",
    ):
        html = client.get(url + query).content.decode()
        assert "Lost receipt" in html, query
        assert "Fine" not in html, query


@pytest.mark.django_db
def test_staff_without_superuser_rights_cannot_reach_the_outbox(client, conference):
    client.force_login(factories.UserFactory(is_staff=True))
    url = reverse("admin:mail_outboundemail_changelist")
    assert client.get(url).status_code == 403

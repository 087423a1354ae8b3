"""``mlsys.mail.queries.outbox_health``: the unsent-mail figures /healthz reports (issue 13)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mlsys.mail.models import OutboundEmail
from mlsys.mail.queries import outbox_health
from tests import factories

S = OutboundEmail.Status


@pytest.mark.django_db
def test_outbox_health_counts_retrying_overdue_and_failed_and_the_oldest_unsent(
    django_assert_num_queries,
):
    NOW = timezone.now()
    assert outbox_health(NOW) == {
        "retrying": 0,
        "overdue": 0,
        "failed": 0,
        "failed_last_day": 0,
        "oldest_unsent_seconds": None,
    }
    old = factories.OutboundEmailFactory(attempts=3, next_attempt_at=NOW + timedelta(minutes=5))
    OutboundEmail.objects.filter(pk=old.pk).update(created_at=NOW - timedelta(hours=2))
    stuck = factories.OutboundEmailFactory(attempts=0, next_attempt_at=NOW - timedelta(minutes=6))
    OutboundEmail.objects.filter(pk=stuck.pk).update(created_at=NOW - timedelta(minutes=7))
    factories.OutboundEmailFactory(attempts=0, next_attempt_at=NOW - timedelta(minutes=1))
    factories.OutboundEmailFactory(status=S.FAILED)
    old_failure = factories.OutboundEmailFactory(status=S.FAILED)
    OutboundEmail.objects.filter(pk=old_failure.pk).update(updated_at=NOW - timedelta(days=3))
    factories.OutboundEmailFactory(status=S.SENT)
    factories.OutboundEmailFactory(status=S.HELD)
    factories.OutboundEmailFactory(status=S.SUPPRESSED)

    with django_assert_num_queries(1):
        health = outbox_health(NOW)

    assert health == {
        "retrying": 1,
        "overdue": 1,
        "failed": 2,
        "failed_last_day": 1,
        "oldest_unsent_seconds": pytest.approx(7200.0),
    }

"""mlsys.core.audit: the conference an event belongs to, found without core importing it."""

from mlsys.core import audit
from mlsys.core.models import AuditEvent


def test_a_conference_target_is_its_own_conference(conference, chair):
    event = audit.record("conferences.changed", actor=chair, target=conference)

    event.refresh_from_db()
    assert event.conference == conference
    assert (event.object_id, event.actor) == (str(conference.pk), chair)


def test_a_target_with_a_conference_belongs_to_it(conference, chair):
    membership = chair.memberships.get(conference=conference)

    event = audit.record("conferences.member_changed", target=membership)

    assert AuditEvent.objects.get(pk=event.pk).conference == conference


def test_a_target_without_a_conference_belongs_to_none(chair):
    event = audit.record("accounts.changed", target=chair)

    assert AuditEvent.objects.get(pk=event.pk).conference is None

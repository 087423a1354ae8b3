"""A new conference copies the previous one's active decision outcomes."""

from decisions.models import Outcome
from decisions.outcomes import outcomes_of
from mlsys.conferences.creation import NewConference, create_conference
from tests import factories


def test_a_copied_conference_takes_the_active_outcomes(conference):
    staff = factories.UserFactory(is_staff=True)
    oral, poster, reject = outcomes_of(conference)
    Outcome.objects.filter(pk=oral.pk).update(label="Accept (spotlight)")
    Outcome.objects.filter(pk=poster.pk).update(active=False)
    new = create_conference(
        new=NewConference(
            name="MLSys 2028",
            slug="mlsys2028",
            chair_email=staff.email,
            chair_name="Staff",
            copy_from=conference,
        ),
        actor=staff,
    )
    assert new.copied["decision outcomes"] == 2
    assert [(o.label, o.kind) for o in outcomes_of(new.conference)] == [
        ("Accept (spotlight)", "accept"),
        ("Reject", "reject"),
    ]

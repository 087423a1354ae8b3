"""Daily bid reminders (beat task reviews.remind_bidders)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mlsys.conferences.enums import Role
from mlsys.mail.models import OutboundEmail
from reviews.bidding.services import REMINDER_KEY
from reviews.bidding.services import remind_bidders as remind_service
from reviews.bidding.tasks import remind_bidders
from reviews.enums import BidValue
from tests import factories


@pytest.fixture
def papers(conference):
    return [factories.SubmissionFactory(conference=conference) for _ in range(4)]


def bid(user, papers, value=BidValue.WILLING):
    for sub in papers:
        factories.BidFactory(submission=sub, user=user, value=value)


def test_members_with_too_few_bids_are_reminded_once_a_day(
    settings,
    conference,
    papers,
    bidding_open,
    ml_reviewer,
    systems_reviewer,
    chair,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.BID_REMINDER_MIN_BIDS = 3
    bid(ml_reviewer, papers[:3])  # enough
    bid(systems_reviewer, papers[:1])  # too few

    with django_capture_on_commit_callbacks(execute=True):
        assert remind_bidders() == 1

    assert [m.to for m in mailoutbox] == [[systems_reviewer.email]]
    body = mailoutbox[0].body
    assert "You have bid on 1 of the 4 papers" in body
    assert "at least 3" in body
    assert f"/c/{conference.slug}/reviews/bidding/" in body
    assert mailoutbox[0].subject == f"[{conference}] Please bid on papers: 1 of 4 so far"

    with django_capture_on_commit_callbacks(execute=True):
        assert remind_bidders() == 0
    assert len(mailoutbox) == 1

    OutboundEmail.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_bidders() == 1
    assert len(mailoutbox) == 2


def test_threshold_is_capped_by_the_papers_a_member_can_bid_on(
    settings, conference, papers, bidding_open, conflicted_reviewer
):
    settings.BID_REMINDER_MIN_BIDS = 20
    # Conflicted with two papers (an author and a pinned conflict), bid on the other two.
    factories.AuthorFactory(submission=papers[0], user=conflicted_reviewer)
    factories.ConflictFactory(submission=papers[1], user=conflicted_reviewer, state="pinned")
    bid(conflicted_reviewer, papers[2:])

    assert remind_service() == 0
    assert not OutboundEmail.objects.exists()


def test_conflicted_bids_do_not_count(settings, conference, papers, bidding_open, ml_reviewer):
    settings.BID_REMINDER_MIN_BIDS = 2
    bid(ml_reviewer, papers[:1])
    bid(ml_reviewer, papers[1:2], BidValue.CONFLICT)

    assert remind_service() == 1
    email = OutboundEmail.objects.get(template_key=REMINDER_KEY)
    assert email.to == [ml_reviewer.email]
    assert "You have bid on 1 of the 3 papers" in email.body


def test_no_reminders_outside_bidding(settings, conference, papers, ml_reviewer):
    settings.BID_REMINDER_MIN_BIDS = 3

    assert remind_service() == 0
    assert not OutboundEmail.objects.exists()


def test_only_accepted_pc_members_are_reminded(settings, conference, papers, bidding_open):
    settings.BID_REMINDER_MIN_BIDS = 1
    invited = factories.MembershipFactory(conference=conference, status="invited")
    external = factories.MembershipFactory(conference=conference, role=Role.EXTERNAL_REVIEWER)
    area_chair = factories.MembershipFactory(conference=conference, role=Role.AREA_CHAIR)

    assert remind_service() == 1

    assert OutboundEmail.objects.get().to == [area_chair.user.email]
    assert invited.user.email != external.user.email

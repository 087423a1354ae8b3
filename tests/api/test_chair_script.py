"""Issue 10: a chair runs the setup-to-assignment part of a year from a script, through the API
only, with their token: invite the PC, open bidding, read the bids, solve, commit, release.

The PC members do their own part as people do: accept the invitation (the invitation page's
service) and bid through the API with their own tokens. Nothing else touches the database
between the calls; the solve runs as the worker would, once the request's transaction commits.
"""

from collections import Counter

import pytest

from mlsys.conferences import invitations
from mlsys.conferences.enums import InvitationStatus
from mlsys.conferences.models import CommitteeMembership
from mlsys.mail.models import OutboundEmail
from reviews.models import Assignment
from tests import factories
from tests.api.clients import token_client

pytestmark = pytest.mark.django_db

PC = [
    ("Mara ML", "mara@ml.example.org", "ML"),
    ("Milo ML", "milo@ml.example.org", "ML"),
    ("Mina ML", "mina@ml.example.org", "ML"),
    ("Sven Sys", "sven@sys.example.org", "SYSTEMS"),
    ("Sara Sys", "sara@sys.example.org", "SYSTEMS"),
    ("Stan Sys", "stan@sys.example.org", "SYSTEMS"),
]


def test_chair_scripts_invitations_bidding_solve_commit_and_release(
    conference, chair, author, django_capture_on_commit_callbacks
):
    papers = [
        factories.SubmissionFactory(conference=conference, authors=[author], title=f"Paper {i}")
        for i in range(4)
    ]
    api = token_client(chair)
    base = f"/api/v1/conferences/{conference.slug}/"

    # 1. Invite the programme committee in one call.
    people = [
        {"name": name, "email": email, "side": side, "max_load": "4"} for name, email, side in PC
    ]
    invited = api.post(f"{base}invitations/bulk/", {"invitees": people})
    assert invited.status_code == 201, invited.content
    assert {row["status"] for row in invited.json()} == {"invited"}
    assert OutboundEmail.objects.filter(template_key="committee.invitation").count() == 6

    # 2. Each person accepts from their email (the invitation page's service).
    for membership in CommitteeMembership.objects.filter(status=InvitationStatus.INVITED):
        invitations.claim_and_accept(membership=membership, password="a long passphrase 1")
    pending = api.get(f"{base}invitations/", {"status": "invited"}).json()
    assert pending["count"] == 0
    assert api.get(f"{base}invitations/", {"status": "accepted"}).json()["count"] == 6

    # 3. Open bidding now.
    opened = api.patch(f"{base}phases/", {"bidding": "open"})
    assert opened.status_code == 200, opened.content
    assert {r["phase"]: r["is_open"] for r in opened.json()}["bidding"] is True

    # 4. The PC bids with their own tokens: Mara refuses paper 0, Sven declares a conflict on 1.
    reviewers = {
        email: CommitteeMembership.objects.get(user__email=email).user for _, email, _ in PC
    }
    for email, user in reviewers.items():
        client = token_client(user)
        listed = client.get(f"{base}bidding/").json()
        assert [r["number"] for r in listed["results"]] == [p.number for p in papers]
        for paper in papers:
            value = "willing"
            if (email, paper) == ("mara@ml.example.org", papers[0]):
                value = "not_willing"
            elif (email, paper) == ("sven@sys.example.org", papers[1]):
                value = "conflict"
            saved = client.put(f"{base}bidding/{paper.number}/", {"value": value})
            assert saved.status_code == 200, saved.content

    bids = api.get(f"{base}bids/", {"page_size": 100}).json()
    assert bids["count"] == 24
    assert Counter(b["value"] for b in bids["results"]) == {
        "willing": 22,
        "not_willing": 1,
        "conflict": 1,
    }

    # 5. Close bidding, solve the Research track and wait for the solver.
    api.patch(f"{base}phases/", {"bidding": "closed"})
    with django_capture_on_commit_callbacks(execute=True):
        queued = api.post(
            f"{base}assignment/proposals/",
            {"track": "research", "w_affinity": 1, "w_bid": 1, "w_topic": 0.5},
        )
    assert queued.status_code == 202, queued.content
    proposal = api.get(f"{base}assignment/proposals/{queued.json()['id']}/").json()
    assert proposal["status"] == "ready", proposal["message"]

    pairs = api.get(f"{base}assignment/proposals/{proposal['id']}/pairs/").json()["results"]
    by_paper = Counter(p["number"] for p in pairs)
    assert by_paper == {p.number: 3 for p in papers}
    chosen = {(p["number"], p["reviewer"]) for p in pairs}
    assert (papers[0].number, reviewers["mara@ml.example.org"].pk) not in chosen
    assert (papers[1].number, reviewers["sven@sys.example.org"].pk) not in chosen
    for number in by_paper:
        sides = {p["side"] for p in pairs if p["number"] == number}
        assert {"ML", "SYSTEMS"} <= sides

    # 6. Commit, then release: every reviewer gets one email with their papers.
    committed = api.post(f"{base}assignment/proposals/{proposal['id']}/commit/")
    assert committed.json()["added"] == 12
    assert set(Assignment.objects.values_list("submission__number", "reviewer_id")) == chosen
    with django_capture_on_commit_callbacks(execute=True):
        released = api.post(f"{base}assignment/release/")
    emailed = released.json()["reviewers_emailed"]
    assert emailed == len({reviewer for _n, reviewer in chosen})
    assert not Assignment.objects.filter(released=False).exists()
    assert (
        OutboundEmail.objects.filter(template_key="reviews.assignments_released").count() == emailed
    )

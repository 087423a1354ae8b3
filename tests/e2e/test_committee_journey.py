"""Issue-4 journey in a real browser: a chair invites a PC from CSV, two members accept from
the invitation email (one sets a first password, one logs in), a member fills their reviewer
profile, the chair opens bidding and computes affinities, the member bids on an affinity-sorted
list, the chair solves, inspects the report, edits the proposal, commits and releases, and the
reviewers see their papers."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from mlsys.conferences import enums
from mlsys.conferences.models import CommitteeMembership
from reviews.enums import BidValue
from reviews.models import Affinity, Assignment, AssignmentProposal, Bid, Expertise, TopicInterest
from tests import factories
from tests.e2e.helpers import login, shot

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "a long sentence nobody guesses 42"
LINK = re.compile(r"https?://\S+/invitation/\S+")
CSV = """name,email,affiliation,side,max_load,role
Mia Learner,mia@learning.test,Learning Institute,ML,3,pc_member
Sam Kernel,sam@kernels.test,Kernel Works,SYSTEMS,3,pc_member
Pat Pending,pat@pending.test,Pending University,BOTH,2,pc_member
"""
# (title, abstract, topics): paper numbers are 1, 2, 3 in this order.
PAPERS = [
    (
        "Gradient Compression for Distributed Training",
        "We compress gradients to cut communication in data-parallel training of large models.",
        ["Distributed training", "Optimization"],
    ),
    (
        "Sparse Attention Kernels for LLM Inference",
        "Block-sparse attention kernels on GPUs make long-context language model inference fast.",
        ["LLMs", "Hardware accelerators"],
    ),
    (
        "Autotuning Tensor Compilers with Learned Cost Models",
        "A tensor compiler autotunes loop schedules and kernel fusion with a learned cost model "
        "and compiles operators faster than vendor libraries.",
        ["Compilers", "Deep learning"],
    ),
]
SAM_EXPERTISE = """Loop scheduling in tensor compilers (2023)
We autotune loop schedules and operator fusion in a tensor compiler with a cost model.

Kernel fusion for deep learning compilers (2022)
A compiler fuses kernels and schedules loops to compile tensor operators efficiently.
"""


def _conference_with_papers():
    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    research = conference.tracks.get(slug="research")
    research.reviewers_per_paper = 2
    research.save(update_fields=["reviewers_per_paper"])
    topics = {t.name: t for t in conference.topics.all()}
    papers = []
    for number, (title, abstract, names) in enumerate(PAPERS, start=1):
        writer = factories.UserFactory(
            name=f"Writer {number}", email=f"writer{number}@authors.test", affiliation="Authors Co"
        )
        paper = factories.SubmissionFactory(
            conference=conference,
            track=research,
            number=number,
            title=title,
            abstract=abstract,
            authors=[writer],
        )
        paper.topics.set([topics[n] for n in names])
        papers.append(paper)
    return conference, papers


@pytest.fixture
def new_page(browser, live_server):
    """Another person's browser (own cookies) next to ``page``; closed after the test."""
    contexts = []

    def make():
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _invitation_link(email: str) -> str:
    [message] = [m for m in mail.outbox if m.to == [email]]
    return LINK.search(message.body).group(0)


def _titles(locator) -> list[str]:
    return [t.split(" ", 1)[1].strip() for t in locator.all_inner_texts()]


def test_chair_invites_pc_members_bid_and_chair_assigns_and_releases(
    page, new_page, live_server, settings
):
    settings.SITE_URL = live_server.url  # links in emails point at the live server
    conference, papers = _conference_with_papers()
    slug = {"conference": conference.slug}
    chair = factories.UserFactory(name="Chair Person", email="chair@chairs.test")
    factories.MembershipFactory(conference=conference, user=chair, role=enums.Role.PROGRAM_CHAIR)
    bea = factories.UserFactory(name="Bea Both", email="bea@both.test", affiliation="Both Lab")
    factories.MembershipFactory(conference=conference, user=bea, side=enums.Side.BOTH, max_load=3)
    sam = factories.UserFactory(name="Sam Kernel", email="sam@kernels.test", affiliation="KW")

    # --- The chair invites the PC from a pasted CSV: preview, then confirm ------------------
    login(page, chair.email)
    page.goto(conference.get_absolute_url())
    page.get_by_role("navigation", name="MLSYS2027").get_by_role("link", name="Committee").click()
    page.get_by_role("link", name="Invite from CSV").click()
    page.get_by_label(re.compile(r"^Or paste CSV")).fill(CSV)
    page.get_by_role("button", name="Check the rows").click()
    page.get_by_role("heading", name="Check the CSV").wait_for()
    assert "All 3 rows can be imported" in page.get_by_role("status").last.inner_text()
    shot(page, "committee-01-csv-preview")
    assert not CommitteeMembership.objects.filter(user__email="mia@learning.test").exists()
    mail.outbox.clear()
    page.get_by_role("button", name="Invite 3 people").click()
    page.get_by_text("Invited 3 people").wait_for()
    invited = CommitteeMembership.objects.filter(
        conference=conference, status=enums.InvitationStatus.INVITED
    )
    assert sorted(invited.values_list("user__email", "side", "max_load")) == [
        ("mia@learning.test", "ML", 3),
        ("pat@pending.test", "BOTH", 2),
        ("sam@kernels.test", "SYSTEMS", 3),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "mia@learning.test",
        "pat@pending.test",
        "sam@kernels.test",
    ]

    # --- Mia has no account: she sets a password on the accept page -------------------------
    mia_page = new_page()
    link = _invitation_link("mia@learning.test")
    assert link.startswith(live_server.url)
    mia_page.goto(link)
    mia_page.get_by_role("heading", name="Invitation to the MLSys 2027 committee").wait_for()
    mia_page.get_by_label(re.compile(r"^New password:?$")).fill(NEW_PASSWORD)
    mia_page.get_by_label(re.compile(r"^New password confirmation")).fill(NEW_PASSWORD)
    shot(mia_page, "committee-02-accept-with-password")
    mia_page.get_by_role("button", name="Set password and accept").click()
    mia_page.get_by_text("Welcome to the MLSYS2027 committee").wait_for()
    mia = CommitteeMembership.objects.get(conference=conference, user__email="mia@learning.test")
    assert mia.status == enums.InvitationStatus.ACCEPTED
    assert mia.user.check_password(NEW_PASSWORD)
    mia_page.reload()  # she stays logged in with her new password on the next request
    mia_page.get_by_role("button", name="Log out").wait_for()
    # An author declared Mia conflicted with paper 2: she must never see it nor review it.
    factories.ConflictFactory(submission=papers[1], user=mia.user, state="confirmed")

    # --- Sam has an account: he logs in from the invitation and accepts ----------------------
    sam_page = new_page()
    sam_page.goto(_invitation_link(sam.email))
    sam_page.get_by_role("link", name="Log in to accept").click()
    sam_page.get_by_label("Email").fill(sam.email)
    sam_page.get_by_label(re.compile(r"^Password:?$")).fill(factories.PASSWORD)
    sam_page.get_by_role("button", name="Log in").click()
    sam_page.get_by_role("button", name="Accept as PC member").click()
    sam_page.get_by_text("Welcome to the MLSYS2027 committee").wait_for()
    assert (
        CommitteeMembership.objects.get(conference=conference, user=sam).status
        == enums.InvitationStatus.ACCEPTED
    )
    assert (
        CommitteeMembership.objects.get(
            conference=conference, user__email="pat@pending.test"
        ).status
        == enums.InvitationStatus.INVITED
    )

    # --- Sam fills his reviewer profile: topic interests and pasted expertise ----------------
    sam_nav = sam_page.get_by_role("navigation", name="MLSYS2027")
    sam_nav.get_by_role("link", name="Reviewer profile").click()
    sam_page.get_by_role("heading", name="Your reviewer profile for MLSYS2027").wait_for()
    sam_page.get_by_role("group", name="Compilers").get_by_label("Expert").check()
    sam_page.get_by_role("group", name="Hardware accelerators").get_by_label("High").check()
    sam_page.get_by_role("button", name="Save topic interests").click()
    sam_page.get_by_text("Topic interests saved").wait_for()
    sam_page.get_by_role("textbox", name=re.compile(r"^Paste several papers")).fill(SAM_EXPERTISE)
    sam_page.get_by_role("button", name="Add pasted papers").click()
    sam_page.get_by_text("Added 2 papers from the pasted text.").wait_for()
    shot(sam_page, "committee-03-profile")
    levels = dict(
        TopicInterest.objects.filter(user=sam, conference=conference).values_list(
            "topic__name", "level"
        )
    )
    assert levels["Compilers"] == 3 and levels["Hardware accelerators"] == 2
    assert sorted(Expertise.objects.filter(user=sam).values_list("title", "year")) == [
        ("Kernel fusion for deep learning compilers", 2022),
        ("Loop scheduling in tensor compilers", 2023),
    ]

    # --- The chair closes submissions and opens bidding with the phase switches --------------
    page.goto(reverse("conferences:phases", kwargs=slug))
    page.get_by_role("group", name="Submission", exact=True).get_by_label("Closed now").check()
    page.get_by_role("group", name="Bidding", exact=True).get_by_label("Open now").check()
    page.get_by_role("button", name="Save switches").click()
    page.get_by_text("Phase switches saved.").wait_for()
    assert "Bidding" in page.locator(".conference-bar .phase").inner_text()

    # --- The chair computes affinities and waits for the run to finish -----------------------
    page.goto(reverse("reviews:affinities", kwargs=slug))
    page.get_by_role("button", name="Compute affinities").click()
    runs = page.locator("#affinity-runs")
    runs.locator(".badge.ok", has_text="Ready").wait_for()
    shot(page, "committee-04-affinities")
    sam_scores = dict(
        Affinity.objects.filter(conference=conference, user=sam).values_list(
            "submission__number", "score"
        )
    )
    # Pairs without a shared term score 0 and are not stored.
    assert sorted(sam_scores) == [2, 3] and sam_scores[3] > sam_scores[2]
    # Mia and Bea entered no expertise, and the page says so.
    missing = page.locator("ul.missing-expertise").inner_text()
    assert "Mia Learner" in missing and "Bea Both" in missing
    assert "Sam Kernel" not in missing

    # --- Sam bids on a list sorted by his match; bids save without a reload -----------------
    sam_nav.get_by_role("link", name="Bidding").click()
    sam_page.get_by_role("heading", name="Bidding", level=1).wait_for()
    assert sam_page.get_by_label("Order").input_value() == "affinity"
    headings = sam_page.locator(".bid-list article h3")
    assert _titles(headings) == [PAPERS[2][0], PAPERS[1][0], PAPERS[0][0]]
    assert "No match score yet" in sam_page.locator("#paper-1").inner_text()
    body = sam_page.locator("main").inner_text()
    assert "Writer 1" not in body, "double-blind: no author names on the bidding page"
    progress = sam_page.locator("#bid-progress")
    assert "You have bid on 0 of 3 papers." in progress.inner_text()
    sam_page.locator("#paper-3").get_by_role("radio", name="Eager").check()
    sam_page.locator("#paper-3 .bid-saved").wait_for()
    sam_page.locator("#paper-1").get_by_role("radio", name="Not willing").check()
    sam_page.locator("#paper-1 .bid-saved").wait_for()
    assert "You have bid on 2 of 3 papers." in progress.inner_text()
    shot(sam_page, "committee-05-bidding")
    assert dict(Bid.objects.filter(user=sam).values_list("submission__number", "value")) == {
        3: BidValue.EAGER,
        1: BidValue.NOT_WILLING,
    }

    mia_page.goto(reverse("reviews:bidding", kwargs=slug))
    assert mia_page.get_by_role("heading", name="2 papers").is_visible()
    assert PAPERS[1][0] not in mia_page.locator("main").inner_text()

    # --- The chair solves and inspects the report ------------------------------------------
    page.get_by_role("navigation", name="MLSYS2027").get_by_role("link", name="Assignment").click()
    page.get_by_role("heading", name="Reviewer assignment").wait_for()
    page.get_by_role("button", name="Solve", exact=True).click()
    page.get_by_role("button", name="Commit this proposal").wait_for()
    proposal = AssignmentProposal.objects.get(conference=conference)
    report = page.locator("section[aria-labelledby=report-heading]")
    report_text = report.inner_text()
    assert "Objective (total quality)" in report_text
    assert "3 of 3 papers meet the side rule" in report_text
    assert "LP bound / gap" in report_text
    shot(page, "committee-06-proposal")
    pairs = {
        (p.submission.number, p.user.name)
        for p in proposal.pairs.select_related("submission", "user")
    }
    assert len(pairs) == 6
    assert (1, "Sam Kernel") not in pairs, "a 'not willing' bid is never assigned"
    assert (2, "Mia Learner") not in pairs, "a conflicted reviewer is never assigned"
    assert not {(n, name) for n, name in pairs if name == "Pat Pending"}, "Pat never accepted"

    # --- The chair edits: removes one reviewer of paper 3 and adds another from the list ----
    # Bids and the conflict force #1 = {Mia, Bea} and #2 = {Sam, Bea}; paper 3 has slack, so
    # someone else can always take the removed reviewer's place there.
    removed = sorted(name for n, name in pairs if n == 3)[0]
    page.get_by_role("button", name=f"Remove {removed} from #3").click()
    page.get_by_text(f"Removed {removed} from #3.").wait_for()
    page.get_by_role("link", name="Add a reviewer to #3").click()
    page.get_by_role("heading", name=re.compile(r"^Add a reviewer to #3")).wait_for()
    reviewer = page.get_by_label(re.compile(r"^Reviewer:?$"))
    options = [o for o in reviewer.locator("option").all_inner_texts() if not o.startswith("—")]
    assert options, "the suggestion list offers someone"
    chosen = next(o for o in options if removed not in o)
    reviewer.select_option(label=chosen)
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_text("Reviewer added to #3.").wait_for()
    chosen_name = chosen.split(" (")[0].split(" —")[0]

    # --- Commit and release; reviewers are emailed --------------------------------------------
    page.get_by_role("button", name="Commit this proposal").click()
    page.get_by_text(re.compile(r"Committed: 6 assignments added")).wait_for()
    assigned = {
        (a.submission.number, a.reviewer.name)
        for a in Assignment.objects.filter(conference=conference).select_related(
            "submission", "reviewer"
        )
    }
    assert len(assigned) == 6
    assert (3, removed) not in assigned
    assert (3, chosen_name) in assigned
    assert not Assignment.objects.filter(conference=conference, released=True).exists()

    sam_nav.get_by_role("link", name="My reviews").click()
    sam_page.get_by_text("No papers have been released to you yet").wait_for()

    mail.outbox.clear()
    page.get_by_role("link", name="← Assignment").click()
    page.get_by_role("button", name="Release 6 assignments and email the reviewers").click()
    page.get_by_text("Assignments released;").wait_for()
    shot(page, "committee-07-released")
    assert Assignment.objects.filter(conference=conference, released=False).count() == 0
    reviewers = {name for _n, name in assigned}
    emailed = sorted(m.to[0] for m in mail.outbox)
    expected = sorted(
        e
        for e, n in [
            ("mia@learning.test", "Mia Learner"),
            (sam.email, "Sam Kernel"),
            (bea.email, "Bea Both"),
        ]
        if n in reviewers
    )
    assert emailed == expected

    # --- Each reviewer sees exactly their released papers -----------------------------------
    sam_page.reload()
    sam_page.get_by_role("heading", name="My reviews").wait_for()
    shot(sam_page, "committee-08-my-papers")
    sam_titles = _titles(sam_page.locator("article.review-row h2"))
    assert sorted(sam_titles) == sorted(
        PAPERS[n - 1][0] for n, name in assigned if name == "Sam Kernel"
    )
    mia_page.goto(reverse("reviews:my_papers", kwargs=slug))
    mia_titles = _titles(mia_page.locator("article.review-row h2"))
    assert sorted(mia_titles) == sorted(
        PAPERS[n - 1][0] for n, name in assigned if name == "Mia Learner"
    )

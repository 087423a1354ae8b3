"""Issue 10's "Done when", as one continuous journey in a real browser, from the 2027 demo:

1. a site admin creates "MLSys 2028" from MLSys 2027's setup, deadlines shifted by 365 days,
   naming a brand-new person (an address with no account) as 2028's first program chair;
2. that person opens the emailed invitation, chooses a password (the account's first) and
   accepts in one step, reviews the shifted deadlines on the 2028 deadlines page and makes
   2028 public (a new conference starts hidden);
3. the new chair, never on 2027's committee, is offered 2027 under "Invite from a previous
   conference" (2028 was started from it) and invites two of 2027's PC members, one tick per
   person; one accepts through the emailed link and finds the expertise papers from 2027 on the
   2028 reviewer profile;
4. an author of a 2027 paper registers, uploads and submits a 2028 paper, and sees both papers
   on the home page, each under its conference;
5. the 2027 chair archives 2027: a write from a page opened before is refused, and the pages
   still read.

Every step asserts the database, not only the page; screenshots land in ``SHOTS``.
"""

import io
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from demo.plan import CHAIR_EMAIL as CHAIR_2027
from demo.plan import PASSWORD as DEMO_PASSWORD
from mlsys.conferences import enums
from mlsys.conferences.models import CommitteeMembership, Conference
from reviews.models import Expertise
from submissions.enums import Status
from submissions.models import Submission
from tests import factories
from tests.demo.seeding import SMALL
from tests.e2e.helpers import login, logout, shot
from tests.submissions import pdfs

pytestmark = pytest.mark.e2e

LINK = re.compile(r"https?://\S+/invitation/\S+")
SHIFT = 365
TITLE_2028 = "Elastic Pipelines for Sparse Training"
NEW_CHAIR = ("Noor Newcomer", "noor@newcomer.example.org")
NEW_CHAIR_PASSWORD = "tidal-orchid-2028-quartz"


def _new_context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(15_000)
    return context


def _link_for(email: str) -> str:
    [message] = [m for m in mail.outbox if m.to == [email]]
    return LINK.search(message.body).group(0)


def _returning_members(conference: Conference) -> list:
    """Two of 2027's accepted PC members with expertise papers, one of each side."""
    members = (
        CommitteeMembership.objects.filter(
            conference=conference,
            role=enums.Role.PC_MEMBER,
            status=enums.InvitationStatus.ACCEPTED,
        )
        .select_related("user")
        .order_by("user__name", "user__email")
    )
    by_side: dict[str, CommitteeMembership] = {}
    for member in members:
        if Expertise.objects.filter(user=member.user).exists():
            by_side.setdefault(member.side, member)
    chosen = [by_side.get(enums.Side.ML), by_side.get(enums.Side.SYSTEMS)]
    assert all(chosen), "the demo gives PC members of both sides expertise papers"
    return chosen


def _author_of_both_years(conference: Conference):
    """A 2027 author of exactly one submitted paper who is on no committee."""
    committee = CommitteeMembership.objects.values_list("user", flat=True)
    for paper in Submission.objects.filter(conference=conference, status=Status.SUBMITTED).order_by(
        "number"
    ):
        for author in paper.authors.exclude(user=None).exclude(user__in=committee):
            if author.user.authorships.count() == 1:
                return author.user, paper
    raise AssertionError("the demo has submitted papers by authors outside the committee")


def _papers_on_home(block) -> list[str]:
    """The paper links of one conference's block on the home page (``/c/<slug>/submissions/<n>/``,
    the title may be shortened on the page)."""
    return block.locator("section.home-part a[href*='/submissions/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )


def test_mlsys_2028_from_2027_through_archive(page, browser, live_server, settings, tmp_path):
    settings.SITE_URL = live_server.url  # links in emails point at the live server
    call_command("seed_demo", *SMALL, stdout=io.StringIO())
    mlsys2027 = Conference.objects.get(slug="mlsys2027")
    deadlines_2027 = {d.kind: d.at for d in mlsys2027.deadlines.all()}
    tracks_2027 = list(mlsys2027.tracks.order_by("order").values_list("slug", "name"))
    admin = factories.UserFactory(name="Site Admin", email="admin@site.test", is_staff=True)
    chair_name, chair_email = NEW_CHAIR
    assert not get_user_model().objects.filter(email__iexact=chair_email).exists()

    # --- 1. The site admin creates MLSys 2028 from 2027's setup -------------------------------
    login(page, admin.email)
    page.get_by_role("link", name="New conference").click()
    page.get_by_role("textbox", name="Name:", exact=True).fill("MLSys 2028")
    page.get_by_label("Slug").fill("mlsys2028")
    page.get_by_label("First program chair's email").fill(chair_email)
    page.get_by_label("Chair's name").fill(chair_name)
    page.get_by_label("Start from a previous conference").select_option("mlsys2027")
    page.get_by_label("Shift deadlines by (days)").fill(str(SHIFT))
    page.get_by_role("button", name="Review before creating").click()
    page.get_by_role("heading", name=f"Deadlines, shifted by {SHIFT} days").wait_for()
    assert not Conference.objects.filter(slug="mlsys2028").exists()  # a preview writes nothing
    shot(page, "issue10-journey-01-preview")
    mail.outbox.clear()
    page.get_by_role("button", name="Create conference").click()
    page.get_by_text("Created MLSys 2028 (mlsys2028).").wait_for()
    mlsys2028 = Conference.objects.get(slug="mlsys2028")
    assert list(mlsys2028.tracks.order_by("order").values_list("slug", "name")) == tracks_2027
    assert {d.kind: d.at for d in mlsys2028.deadlines.all()} == {
        kind: at + timedelta(days=SHIFT) for kind, at in deadlines_2027.items()
    }
    assert mlsys2028.copied_from == mlsys2027
    assert not mlsys2028.is_public  # hidden until its chairs make it public
    assert not Submission.objects.filter(conference=mlsys2028).exists()
    [chair_invite] = CommitteeMembership.objects.filter(conference=mlsys2028)
    new_chair = chair_invite.user
    assert (new_chair.email, new_chair.name, chair_invite.role, chair_invite.status) == (
        chair_email,
        chair_name,
        enums.Role.PROGRAM_CHAIR,
        enums.InvitationStatus.INVITED,
    )
    # An account made for the invitation: no password yet, on no committee of 2027.
    assert not new_chair.has_usable_password() and new_chair.last_login is None
    assert not CommitteeMembership.objects.filter(user=new_chair).exclude(pk=chair_invite.pk)
    assert [m.to for m in mail.outbox] == [[chair_email]]
    logout(page)

    # --- 2. The new chair sets a first password, accepts, and reviews the shifted deadlines ---
    page.goto(_link_for(chair_email))
    page.get_by_role("heading", name="Invitation to the MLSys 2028 committee").wait_for()
    page.get_by_text(f"Choose a password for your new account ({chair_email})").wait_for()
    page.get_by_label(re.compile(r"^New password:?$")).fill(NEW_CHAIR_PASSWORD)
    page.get_by_label(re.compile(r"^New password confirmation")).fill(NEW_CHAIR_PASSWORD)
    shot(page, "issue10-journey-02-chair-invitation")
    page.get_by_role("button", name="Set password and accept").click()
    page.get_by_text(f"Welcome to the {mlsys2028} committee as Program chair").wait_for()
    page.get_by_role("button", name="Log out").wait_for()  # logged in as the new account
    chair_invite.refresh_from_db()
    new_chair.refresh_from_db()
    assert chair_invite.status == enums.InvitationStatus.ACCEPTED
    assert new_chair.check_password(NEW_CHAIR_PASSWORD)
    assert EmailAddress.objects.filter(user=new_chair, email=chair_email, verified=True).exists()

    page.goto(f"/c/{mlsys2028.slug}/deadlines/")
    page.get_by_role("heading", name="Deadlines", level=1).wait_for()
    for kind, at in deadlines_2027.items():
        shifted = (at + timedelta(days=SHIFT)).astimezone(mlsys2028.tz)
        label = enums.DeadlineKind(kind).label
        row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=label))
        stored = row.locator("time").first.inner_text()
        assert shifted.strftime("%a %-d %b %Y, %H:%M") in stored, (label, stored)
        assert row.locator("input").input_value().startswith(shifted.strftime("%Y-%m-%d")), label
    shot(page, "issue10-journey-03-shifted-deadlines")
    page.get_by_role("navigation", name="Conference setup").get_by_role(
        "link", name="Settings", exact=True
    ).click()
    page.get_by_role("checkbox", name="Public").check()
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("Conference settings saved.").wait_for()
    mlsys2028.refresh_from_db()
    assert mlsys2028.is_public

    # --- 3. The chair invites two of 2027's PC members, one tick per person -------------------
    first, second = _returning_members(mlsys2027)
    page.goto(mlsys2028.get_absolute_url())
    nav = page.get_by_role("navigation", name=str(mlsys2028))
    nav.get_by_role("link", name="Committee").click()
    page.get_by_role("link", name="Invite from a previous conference").click()
    # 2027 is offered to 2028's new chair: 2028 was started from it.
    page.get_by_role("heading", name="Invite from a previous conference").wait_for()
    offered = page.locator("main ul a[href*='/committee/from/']").all_inner_texts()
    assert offered == ["MLSys 2027"], offered
    page.get_by_role("listitem").filter(has_text="MLSys 2028 was started from it").wait_for()
    page.get_by_role("link", name="MLSys 2027").click()
    page.get_by_role("heading", name="Invite from MLSys 2027").wait_for()
    for member in (first, second):
        name = member.user.name
        assert page.get_by_label(f"Side of {name}").input_value() == member.side
        load = page.get_by_label(f"Maximum load of {name}").input_value()
        assert load == ("" if member.max_load is None else str(member.max_load))
        page.get_by_label(f"Invite {name}").check()
    # Everyone who served 2027 can be ticked: nobody of them is on 2028's (its chair is new).
    served = mlsys2027.memberships.filter(status=enums.InvitationStatus.ACCEPTED).count()
    assert page.locator("table.returning input[type=checkbox]").count() == served
    assert page.get_by_text("Here already").count() == 0
    shot(page, "issue10-journey-04-invite-from-2027")
    mail.outbox.clear()
    page.get_by_role("button", name="Send invitations to the ticked people").click()
    page.get_by_text("Invited 2 people from MLSys 2027").wait_for()
    invited = CommitteeMembership.objects.filter(
        conference=mlsys2028, status=enums.InvitationStatus.INVITED
    )
    assert sorted(invited.values_list("user", "role", "side", "max_load")) == sorted(
        (m.user.pk, enums.Role.PC_MEMBER, m.side, m.max_load) for m in (first, second)
    )
    assert set(invited.values_list("invited_by", flat=True)) == {new_chair.pk}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.user.email, second.user.email])
    # Nobody else from 2027 was invited: one tick, one invitation.
    assert CommitteeMembership.objects.filter(conference=mlsys2028).count() == 3

    # The first accepts from the email, in a browser of their own, and finds their expertise.
    returning = first.user
    papers = sorted(Expertise.objects.filter(user=returning).values_list("title", flat=True))
    context = _new_context(browser, live_server)
    try:
        pc = context.new_page()
        pc.goto(_link_for(returning.email))
        pc.get_by_role("link", name="Log in to accept").click()
        pc.get_by_label("Email").fill(returning.email)
        pc.get_by_label(re.compile(r"^Password:?$")).fill(DEMO_PASSWORD)
        pc.get_by_role("button", name="Log in").click()
        pc.get_by_role("button", name="Accept as PC member").click()
        pc.get_by_text(f"Welcome to the {mlsys2028} committee").wait_for()
        pc.get_by_role("link", name="Reviewer profile").first.click()
        pc.get_by_role("heading", name=f"Your reviewer profile for {mlsys2028}").wait_for()
        table = pc.locator("#expertise table").inner_text()
        assert papers and all(title in table for title in papers)
        assert "No papers yet" not in pc.content()
        for title in papers:
            assert pc.get_by_label(f"Use “{title}” for {mlsys2028}").is_checked()
        shot(pc, "issue10-journey-05-returning-profile")
    finally:
        context.close()
    assert (
        CommitteeMembership.objects.get(conference=mlsys2028, user=returning).status
        == enums.InvitationStatus.ACCEPTED
    )
    assert (
        sorted(
            Expertise.objects.used_at(mlsys2028)
            .filter(user=returning)
            .values_list("title", flat=True)
        )
        == papers
    )
    # The other is still invited; bids and conflicts stay in 2027.
    assert (
        CommitteeMembership.objects.get(conference=mlsys2028, user=second.user).status
        == enums.InvitationStatus.INVITED
    )
    logout(page)

    # --- 4. An author of 2027 submits a 2028 paper and sees both on the home page -------------
    author, paper_2027 = _author_of_both_years(mlsys2027)
    pdf = tmp_path / "paper.pdf"
    pdf.write_bytes(pdfs.paper(pages=2))
    research = mlsys2028.tracks.get(slug="research")
    topic = mlsys2028.topics.order_by("name").first()
    login(page, author.email, DEMO_PASSWORD)
    page.goto(mlsys2028.get_absolute_url())
    page.get_by_role("navigation", name=str(mlsys2028)).get_by_role(
        "link", name="Submit a paper"
    ).click()
    page.get_by_role("radio", name=research.name).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label(re.compile(r"^Title")).fill(TITLE_2028)
    page.get_by_label(re.compile(r"^Abstract")).fill("We train sparse models on elastic pipelines.")
    page.get_by_role("checkbox", name=topic.name).check()
    assert page.get_by_label("Email of author 1").input_value() == author.email
    page.get_by_role("button", name="Register submission").click()
    page.get_by_role("heading", name=f"#1 {TITLE_2028}").wait_for()
    page.get_by_label(re.compile(r"^Paper PDF")).set_input_files(str(pdf))
    page.get_by_role("button", name="Upload paper").click()
    page.locator("#check-report").get_by_text("this is the version that counts").wait_for()
    page.get_by_role("button", name="Submit", exact=True).click()
    page.get_by_text("is now submitted").wait_for()
    paper_2028 = Submission.objects.get(conference=mlsys2028)
    assert (paper_2028.number, paper_2028.title, paper_2028.status) == (
        1,
        TITLE_2028,
        Status.SUBMITTED,
    )
    assert list(paper_2028.authors.values_list("user", flat=True)) == [author.pk]

    page.goto("/")
    old_block = page.locator('[data-conference="mlsys2027"]')
    new_block = page.locator('[data-conference="mlsys2028"]')
    old_block.get_by_role("heading", name="Your papers (1)").wait_for()
    new_block.get_by_role("heading", name="Your papers (1)").wait_for()
    old_url = f"/c/mlsys2027/submissions/{paper_2027.number}/"
    assert _papers_on_home(old_block) == [old_url]
    assert _papers_on_home(new_block) == ["/c/mlsys2028/submissions/1/"]
    assert f"#{paper_2027.number} {paper_2027.title[:60]}" in old_block.inner_text()
    assert f"#1 {TITLE_2028}" in new_block.inner_text()
    shot(page, "issue10-journey-06-author-home")
    # Before the archive, the 2027 paper's page offers the author a write (withdrawing).
    page.goto(old_url)
    page.get_by_role("button", name="Withdraw").wait_for()

    # --- 5. The 2027 chair archives 2027; a write is refused, the pages still read ------------
    chair_context = _new_context(browser, live_server)
    try:
        chair = chair_context.new_page()
        login(chair, CHAIR_2027, DEMO_PASSWORD)
        # A deadlines page opened before the archive, to send a write from afterwards.
        stale = chair_context.new_page()
        stale.goto(f"/c/{mlsys2027.slug}/deadlines/")
        stale.get_by_role("button", name="Save deadlines").wait_for()
        chair.goto(f"/c/{mlsys2027.slug}/settings/")
        chair.get_by_role("navigation", name="Conference setup").get_by_role(
            "link", name="Archive"
        ).click()
        chair.get_by_label("becomes read-only").check()
        chair.get_by_role("button", name="Archive conference").click()
        chair.get_by_text("This conference is archived: read-only.").first.wait_for()
        mlsys2027.refresh_from_db()
        assert mlsys2027.archived_at is not None
        shot(chair, "issue10-journey-07-archived")

        decision = enums.DeadlineKind.DECISION
        stale.get_by_role("row").filter(
            has=stale.get_by_role("rowheader", name=enums.DeadlineKind(decision).label)
        ).locator("input").fill("2099-01-01T12:00")
        with stale.expect_response(lambda r: r.request.method == "POST") as posted:
            stale.get_by_role("button", name="Save deadlines").click()
        assert posted.value.status == 403
        stale.get_by_text("This conference is archived: read-only.").first.wait_for()
        assert {d.kind: d.at for d in mlsys2027.deadlines.all()} == deadlines_2027
        shot(stale, "issue10-journey-08-write-refused")
        stale.goto(f"/c/{mlsys2027.slug}/deadlines/")
        stale.get_by_role("heading", name="Deadlines", level=1).wait_for()
        assert stale.locator(".archived-banner").is_visible()
    finally:
        chair_context.close()

    # The author still reads the 2027 paper, now without write controls; 2028 is untouched.
    page.goto(old_url)
    page.get_by_role("heading", name=paper_2027.title).wait_for()
    assert page.locator(".archived-banner").is_visible()
    assert not page.get_by_role("button", name="Withdraw").is_visible()
    # Nothing can be sent: no visible button in any form (what the forms hold stays readable).
    visible = "buttons => buttons.filter(b => b.offsetParent !== null).length"
    assert page.locator("main form[method=post] button").evaluate_all(visible) == 0
    page.goto("/")
    old_block = page.locator('[data-conference="mlsys2027"]')
    assert "Archived: read-only" in old_block.inner_text()
    assert _papers_on_home(old_block) == [old_url]
    assert "Archived" not in page.locator('[data-conference="mlsys2028"]').inner_text()
    shot(page, "issue10-journey-09-home-after-archive")
    mlsys2028.refresh_from_db()
    assert mlsys2028.archived_at is None
    assert Submission.objects.get(pk=paper_2028.pk).status == Status.SUBMITTED

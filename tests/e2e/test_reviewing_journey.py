"""Issue-5 journey in a real browser: a reviewer reads an assigned (double-blind) paper, drafts a
review that autosaves, fails a submit on a missing answer, submits, revises, discusses with the
other reviewer through an @mention; the author reads the reviews and responds within the word
limit; the reviewer is told, reads the response and updates the review after it; a chair makes
the reviewer the discussion lead, who writes the meta-review; the chair reminds a late reviewer.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from mlsys.conferences import enums
from mlsys.conferences.models import PhaseSetting
from mlsys.mail.models import OutboundEmail
from reviews.enums import ResponseState, ReviewState
from reviews.models import Assignment, AuthorResponse, MetaReview, Review
from reviews.reviewing import services as reviewing
from submissions import pipeline
from submissions.models import Submission
from tests import factories
from tests.e2e.helpers import login, logout, shot
from tests.submissions import pdfs

pytestmark = pytest.mark.e2e

TITLE = "Overlapping Communication and Computation in Tensor Compilers"
ABSTRACT = "We overlap communication with computation in a tensor compiler and train faster."
PC_SECRET = "PC-ONLY: the evaluation reuses the authors' earlier cluster"
URL = re.compile(r"https?://\S+")
SAM_ANSWERS = {
    "summary": "A runtime that overlaps all-reduce with backward kernels.",
    "strengths": "Real cluster numbers.",
    "weaknesses": "No comparison with ZeRO.",
    "ml_contribution": "2",
    "systems_contribution": "4",
    "reproducibility": "3",
    "overall_merit": "5",
    "confidence": "4",
}


def _set_phase(conference, phase: str, mode: str) -> None:
    PhaseSetting.objects.update_or_create(
        conference=conference, phase=phase, defaults={"mode": mode}
    )


def _member(conference, name: str, email: str, role=enums.Role.PC_MEMBER, side=enums.Side.ML):
    user = factories.UserFactory(name=name, email=email, affiliation=f"{name.split()[1]} Lab")
    factories.MembershipFactory(conference=conference, user=user, role=role, side=side)
    return user


def _paper_with_pdf(conference, author, number: int, title: str) -> Submission:
    paper = factories.SubmissionFactory(
        conference=conference,
        track=conference.tracks.get(slug="research"),
        number=number,
        title=title,
        abstract=ABSTRACT,
        authors=[author],
    )
    paper.topics.set(conference.topics.filter(name__in=["Compilers", "Distributed training"]))
    # The real pipeline: stored, then checked by the (eager) Celery task on commit.
    pipeline.store_file(
        submission=paper,
        kind="paper",
        name="paper.pdf",
        data_or_file=pdfs.paper(pages=2),
        uploaded_by=author,
    )
    paper.refresh_from_db()
    assert paper.current_paper_id, "the anonymous PDF passed its checks"
    return paper


def _emails(key: str) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(template_key=key).order_by("pk"))


def _link_in(email: OutboundEmail) -> str:
    return URL.search(email.body).group(0)


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


def test_reviewer_reviews_discusses_author_responds_lead_meta_reviews_chair_reminds(
    page, new_page, live_server, settings
):
    settings.SITE_URL = live_server.url  # links in emails point at the live server
    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    conference.response_word_limit = 50
    conference.save(update_fields=["response_word_limit"])
    slug = {"conference": conference.slug}
    author = factories.UserFactory(
        name="Ada Author", email="ada@uni.example.edu", affiliation="Uni of Examples"
    )
    chair = _member(conference, "Chair Person", "chair@chairs.test", enums.Role.PROGRAM_CHAIR, "")
    mia = _member(conference, "Mia Learner", "mia@learning.test", side=enums.Side.ML)
    sam = _member(conference, "Sam Kernel", "sam@kernels.test", side=enums.Side.SYSTEMS)
    lou = _member(conference, "Lou Late", "lou@late.test", side=enums.Side.ML)
    paper = _paper_with_pdf(conference, author, 1, TITLE)
    other = _paper_with_pdf(conference, author, 2, "Another Paper Nobody Finished Reviewing")
    mia_assignment = factories.AssignmentFactory(submission=paper, reviewer=mia, released=True)
    sam_assignment = factories.AssignmentFactory(submission=paper, reviewer=sam, released=True)
    factories.AssignmentFactory(submission=other, reviewer=lou, released=True)
    _set_phase(conference, enums.Phase.SUBMISSION, enums.PhaseMode.CLOSED)
    _set_phase(conference, enums.Phase.REVIEWING, enums.PhaseMode.OPEN)
    # Sam (Systems) already submitted his review through the services.
    draft = reviewing.save_draft(sam_assignment, actor=sam, answers=SAM_ANSWERS, expected_version=0)
    reviewing.submit_review(
        sam_assignment, actor=sam, answers=SAM_ANSWERS, expected_version=draft.version
    )

    # --- Mia logs in and opens her assigned paper from "My reviews" --------------------------
    login(page, mia.email)
    page.goto(conference.get_absolute_url())
    page.get_by_role("navigation", name="MLSYS2027").get_by_role("link", name="My reviews").click()
    page.get_by_role("heading", name="My reviews", level=1).wait_for()
    assert "0 of 1 submitted" in page.locator("main").inner_text()
    page.get_by_role("link", name="Write review of paper #1").click()
    page.get_by_role("heading", name="Review of paper #1").wait_for()

    # --- She sees the paper: title, abstract, PDF, but no author names (double-blind) ------
    paper_column = page.locator("section.review-paper")
    assert TITLE in paper_column.inner_text()
    assert ABSTRACT in paper_column.inner_text()
    main_text = page.locator("main").inner_text()
    assert "Ada Author" not in main_text and "Uni of Examples" not in main_text
    assert "the authors' identities are hidden" in main_text
    download = page.get_by_role("link", name="Download the PDF")
    pdf = page.request.get(download.get_attribute("href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF-")
    shot(page, "reviewing-01-review-page")

    # --- She types; the draft saves itself and survives a reload ----------------------------
    summary = page.get_by_label(re.compile(r"^Summary"))
    summary.press_sequentially("Overlaps gradient all-reduce with backward compute.")
    page.locator("#autosave-status").get_by_text(re.compile(r"^Draft saved")).wait_for()
    shot(page, "reviewing-02-draft-saved")
    review = Review.objects.get(assignment=mia_assignment)
    assert review.state == ReviewState.DRAFT
    assert review.answers["summary"] == "Overlaps gradient all-reduce with backward compute."
    page.reload()
    assert (
        page.get_by_label(re.compile(r"^Summary")).input_value()
        == "Overlaps gradient all-reduce with backward compute."
    )
    assert page.locator("#restore-banner").is_hidden(), "the browser copy equals the server's"

    # --- Submitting with unanswered required questions is refused, the draft is kept --------
    page.get_by_label(re.compile(r"^Strengths")).fill("A simple idea with **large** gains.")
    page.get_by_label(re.compile(r"^Weaknesses")).fill("Only $n \\le 64$ GPUs.")
    page.get_by_label(re.compile(r"^Comments for the PC")).fill(PC_SECRET)
    page.get_by_role("button", name="Submit review").click()
    page.get_by_text("Please correct the questions marked below.").wait_for()
    merit = page.get_by_role("group", name=re.compile(r"^Overall merit"))
    assert merit.locator(".errorlist").is_visible()
    shot(page, "reviewing-03-submit-refused")
    review.refresh_from_db()
    assert review.state == ReviewState.DRAFT
    assert review.answers["weaknesses"] == "Only $n \\le 64$ GPUs."

    # --- She answers the scores and submits ---------------------------------------------------
    for question, choice in [
        ("ML contribution", "3 — Solid"),
        ("Systems contribution", "4 — Significant"),
        ("Reproducibility", "3 — Mostly reproducible"),
        ("Overall merit", "4 — Weak accept"),
        ("Reviewer confidence", "3 — Confident"),
    ]:
        page.get_by_role("group", name=re.compile(f"^{question}")).get_by_role(
            "radio", name=choice
        ).check()
    page.get_by_role("button", name="Submit review").click()
    page.get_by_text("Review submitted. Thank you!").wait_for()
    review.refresh_from_db()
    assert review.state == ReviewState.SUBMITTED
    assert (review.answers["overall_merit"], review.answers["confidence"]) == (4, 3)
    assert review.answers["comments_for_pc"] == PC_SECRET

    # --- She raises her score: a second revision lists what changed -------------------------
    merit = page.get_by_role("group", name=re.compile(r"^Overall merit"))
    merit.get_by_role("radio", name="5 — Accept").check()
    page.get_by_role("button", name="Update review").click()
    page.get_by_text("Review updated (revision 2).").wait_for()
    history = page.locator("ol.revisions")
    assert "changed Overall merit" in history.inner_text()
    assert "after the author response" not in history.inner_text()
    shot(page, "reviewing-04-revised")
    assert list(review.revisions.order_by("number").values_list("number", "after_response")) == [
        (1, False),
        (2, False),
    ]

    # --- She discusses on the paper page and mentions Sam -----------------------------------
    page.get_by_role("link", name="My reviews", exact=True).first.click()
    page.get_by_role("link", name="Reviews and discussion of paper #1").click()
    page.get_by_role("heading", name=re.compile(re.escape(TITLE))).wait_for()
    reviews = page.locator("#reviews")
    assert "Your review" in reviews.inner_text()
    assert "Real cluster numbers." in reviews.inner_text(), "Sam's review, after hers"
    mail.outbox.clear()
    page.get_by_label(re.compile(r"^Comment")).fill(
        "@sam-kernel do you think the speed-ups hold beyond 64 GPUs?"
    )
    page.get_by_role("button", name="Post comment").click()
    page.get_by_text("Comment posted.").wait_for()
    discussion = page.locator("#discussion")
    assert "do you think the speed-ups hold beyond 64 GPUs?" in discussion.inner_text()
    [mention] = _emails("reviews.comment_mention")
    assert mention.to == [sam.email]
    assert [m.to for m in mail.outbox] == [[sam.email]]

    # --- Sam follows the email link, reads her comment and replies ----------------------------
    sam_page = new_page()
    login(sam_page, sam.email)
    sam_page.goto(_link_in(mention))
    sam_page.get_by_text("do you think the speed-ups hold beyond 64 GPUs?").wait_for()
    assert "Mia Learner (Reviewer A)" in sam_page.locator("#reviews").inner_text()
    sam_page.get_by_label(re.compile(r"^Comment")).fill(
        "@mia-learner Yes: their appendix shows 256 GPUs."
    )
    sam_page.get_by_role("button", name="Post comment").click()
    sam_page.get_by_text("Comment posted.").wait_for()
    shot(sam_page, "reviewing-05-discussion")
    page.reload()
    assert "Yes: their appendix shows 256 GPUs." in page.locator("#discussion").inner_text()

    # --- The response phase opens; the author reads anonymised reviews and responds ---------
    _set_phase(conference, enums.Phase.RESPONSE, enums.PhaseMode.OPEN)
    mail.outbox.clear()
    author_page = new_page()
    login(author_page, author.email)
    author_page.goto(reverse("submissions:detail", kwargs={**slug, "number": 1}))
    author_page.get_by_role("link", name="Read the reviews and write your response").click()
    author_page.get_by_role("heading", name=re.compile(r"^Reviews and response")).wait_for()
    headings = author_page.locator("article.author-review h3").all_inner_texts()
    assert sorted(headings) == ["Reviewer A", "Reviewer B"]
    # The same letters as on the committee's paper page (assignment order: Mia is A).
    as_author = author_page.locator("article.author-review")
    assert "A simple idea with" in as_author.filter(has_text="Reviewer A").inner_text()
    assert "Real cluster numbers." in as_author.filter(has_text="Reviewer B").inner_text()
    body = author_page.locator("main").inner_text()
    for hidden in ("Mia Learner", "Sam Kernel", PC_SECRET, "Comments for the PC"):
        assert hidden not in body, f"authors must not see {hidden!r}"
    assert "Real cluster numbers." in body and "A simple idea with" in body
    response_box = author_page.get_by_label("Response to all reviewers")
    count = author_page.locator("#word-count")
    response_box.fill(" ".join(["word"] * 55))
    assert count.inner_text() == "55 of 50 words (5 over the limit)"
    response = "We ran 256 GPUs (appendix B) and compare with ZeRO in the revision. Thank you!"
    response_box.fill(response)
    assert count.inner_text() == "15 of 50 words"
    to_mia = "Table 3 in appendix B has the scaling run."
    author_page.get_by_label(re.compile(r"^Answer to Reviewer A")).fill(to_mia)
    shot(author_page, "reviewing-06-author-response")
    author_page.get_by_role("button", name="Submit response").click()
    author_page.get_by_text("Your response was submitted; the reviewers were notified.").wait_for()
    stored = AuthorResponse.objects.get(submission=paper)
    assert stored.state == ResponseState.SUBMITTED and stored.text == response
    assert stored.per_review == {str(review.pk): to_mia}
    told = _emails("reviews.response_submitted")
    assert sorted(e.to[0] for e in told) == [mia.email, sam.email]
    assert sorted(m.to[0] for m in mail.outbox) == [mia.email, sam.email]

    # --- Mia follows her email to the paper page, reads the response, updates her review ----
    [mia_email] = [e for e in told if e.to == [mia.email]]
    paper_link = _link_in(mia_email)
    assert paper_link.endswith(
        reverse("reviews:paper", kwargs={**slug, "number": 1}) + "#author-response"
    )
    # She opens the link in a new tab (the old one still shows the paper page, and a link that
    # differs only by its #fragment would not reload it).
    page = page.context.new_page()
    page.goto(paper_link)
    shown = page.locator("#author-response")
    shown.get_by_role("heading", name="Author response").wait_for()
    assert response in shown.inner_text()
    assert "Real cluster numbers." in page.locator("#reviews").inner_text(), "beside the reviews"
    her_card = page.locator(f"#review-{review.pk}")
    assert "The authors' response to Reviewer A" in her_card.inner_text()
    assert to_mia in her_card.inner_text()
    assert to_mia not in page.locator(f"#review-{sam_assignment.review.pk}").inner_text()
    shot(page, "reviewing-06b-response-on-paper-page")
    page.get_by_role("link", name="Revise your review").click()
    page.get_by_role("heading", name="Review of paper #1").wait_for()
    # The response stays in sight above the form while she edits.
    beside_form = page.locator("details.author-response").inner_text()
    assert response in beside_form and "To your review (Reviewer A)" in beside_form
    assert to_mia in beside_form
    page.get_by_label(re.compile(r"^Weaknesses")).fill(
        "Only $n \\le 64$ GPUs in the main text; the response points to 256 in the appendix."
    )
    page.get_by_role("button", name="Update review").click()
    page.get_by_text("Review updated (revision 3).").wait_for()
    latest = page.locator("ol.revisions li").first
    assert "changed Weaknesses" in latest.inner_text()
    assert "after the author response" in latest.inner_text()
    shot(page, "reviewing-07-after-response")
    assert review.revisions.get(number=3).after_response

    # --- The chair makes Mia the discussion lead ---------------------------------------------
    logout(author_page)
    chair_page = author_page
    login(chair_page, chair.email)
    chair_page.goto(conference.get_absolute_url())
    chair_page.get_by_role("navigation", name="MLSYS2027").get_by_role("link", name="Leads").click()
    chair_page.get_by_role("heading", name="Discussion leads").wait_for()
    chair_page.get_by_role("link", name="Assign lead of #1").click()
    chair_page.get_by_role("radio", name=re.compile(r"^Mia Learner .*reviews this paper")).check()
    chair_page.get_by_role("button", name="Make lead").click()
    chair_page.get_by_text("Mia Learner now leads the discussion of #1.").wait_for()
    assert MetaReview.objects.get(submission=paper).lead == mia
    [lead_email] = _emails("reviews.lead_assigned")
    assert lead_email.to == [mia.email]

    # --- Discussion opens; Mia writes and submits the meta-review ----------------------------
    _set_phase(conference, enums.Phase.DISCUSSION, enums.PhaseMode.OPEN)
    page.get_by_role("link", name="My reviews", exact=True).first.click()
    page.get_by_role("link", name="Reviews and discussion of paper #1").click()
    page.get_by_role("link", name="Meta-review", exact=True).click()
    page.get_by_role("heading", name=re.compile(r"^Meta-review")).wait_for()
    page.get_by_label(re.compile(r"^Summary for the authors")).fill(
        "Both reviewers like the overlap; the response settled the scaling question."
    )
    page.get_by_label(re.compile(r"^Recommendation")).select_option(label="Accept")
    page.get_by_label(re.compile(r"^Confidence")).select_option(label="3: High")
    page.get_by_role("button", name="Submit meta-review").click()
    page.get_by_text("Meta-review submitted.").wait_for()
    shot(page, "reviewing-08-meta-review")
    meta = MetaReview.objects.get(submission=paper)
    assert (meta.state, meta.recommendation, meta.confidence) == (
        ReviewState.SUBMITTED,
        "accept",
        3,
    )

    # --- The chair reminds the reviewer with an unfinished review ----------------------------
    mail.outbox.clear()
    chair_page.get_by_role("navigation", name="MLSYS2027").get_by_role(
        "link", name="Progress"
    ).click()
    chair_page.get_by_role("heading", name="Reviewing progress").wait_for()
    assert "2 of 3 assigned reviews submitted." in chair_page.locator("main").inner_text()
    # Only Lou has an unfinished review; Mia and Sam have no "Remind" button.
    remind_buttons = chair_page.get_by_role("button", name=re.compile(r"^Remind \w+ \w+$"))
    assert remind_buttons.count() == 1
    chair_page.get_by_role("button", name="Remind Lou Late").click()
    chair_page.get_by_text("Reminded Lou Late.").wait_for()
    shot(chair_page, "reviewing-09-progress-reminded")
    [reminder] = _emails("reviews.review_reminder")
    assert reminder.to == [lou.email]
    assert "Another Paper Nobody Finished Reviewing" in reminder.body
    assert [m.to for m in mail.outbox] == [[lou.email]]
    assert Assignment.objects.get(reviewer=lou).last_reminded_at is not None

"""``manage.py seed_demo``: a small demo conference (6 papers, PC of 12) built end to end,
with real PDFs going through the real upload pipeline and the committee's year (profiles,
affinities, bids, assignment) going through the reviews services."""

import io
import json
from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.utils import timezone
from pypdf import PdfReader

from decisions.models import Decision
from demo import build, manifest, review_text, reviewing
from demo.committee import make_profiles
from demo.plan import CHAIR_EMAIL as PLAN_CHAIR
from demo.plan import PASSWORD, make_plan
from mlsys.accounts.models import User
from mlsys.conferences import enums
from mlsys.conferences.models import CommitteeMembership, Conference, Deadline, Topic
from mlsys.core.models import AuditEvent
from mlsys.mail.models import OutboundEmail
from reviews.enums import BidValue, InterestLevel, ProposalStatus
from reviews.models import (
    Affinity,
    AffinityRun,
    Assignment,
    AssignmentProposal,
    AuthorResponse,
    Bid,
    Comment,
    Expertise,
    MetaReview,
    Review,
    ReviewRevision,
    TopicInterest,
)
from reviews.review_forms import validate_answers
from reviews.review_forms.defaults import ensure_default_form
from reviews.rules import conflicted_submission_ids
from submissions import enums as sub_enums
from submissions.models import Conflict, Submission, SubmissionFile
from tests.demo.seeding import ACCOUNTS, SMALL


@pytest.mark.django_db
def test_small_seed_builds_a_conference_in_its_reviewing_phase(demo):
    conference = Conference.objects.get(slug="mlsys2027")
    assert conference.timezone == "Etc/GMT+12"
    assert conference.current_phase == enums.Phase.REVIEWING
    assert set(Deadline.objects.filter(conference=conference).values_list("kind", flat=True)) == (
        set(enums.DeadlineKind.values)
    )
    tracks = {t.slug: t for t in conference.tracks.all()}
    assert tracks["research"].anonymity == enums.Anonymity.DOUBLE_BLIND
    assert (tracks["research"].page_limit, tracks["research"].columns) == (10, 2)
    assert tracks["research"].paper_size == enums.PaperSize.LETTER
    assert tracks["industry"].anonymity == enums.Anonymity.NAMES_HIDDEN
    assert tracks["industry"].page_limit == 6
    assert Counter(Topic.objects.filter(conference=conference).values_list("area", flat=True)) == {
        enums.Area.ML: 20,
        enums.Area.SYSTEMS: 20,
    }
    roles = Counter(
        CommitteeMembership.objects.filter(
            conference=conference, status=enums.InvitationStatus.ACCEPTED
        ).values_list("role", "side")
    )
    assert roles == {
        (enums.Role.PROGRAM_CHAIR, ""): 1,
        (enums.Role.AE_CHAIR, ""): 1,
        (enums.Role.PC_MEMBER, enums.Side.ML): 6,
        (enums.Role.PC_MEMBER, enums.Side.SYSTEMS): 6,
    }
    assert User.objects.count() == ACCOUNTS
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == ACCOUNTS

    submissions = Submission.objects.filter(conference=conference).order_by("number")
    assert [s.number for s in submissions] == [1, 2, 3, 4, 5, 6]
    assert Counter(s.status for s in submissions) == {
        sub_enums.Status.SUBMITTED: 3,
        sub_enums.Status.DRAFT: 2,
        sub_enums.Status.WITHDRAWN: 1,
    }
    # Submitted before the deadline that has passed.
    deadline = conference.deadline_map()[enums.DeadlineKind.SUBMISSION].at
    assert all(s.submitted_at < deadline for s in submissions if s.submitted_at)
    for sub in submissions:
        assert 1 <= sub.authors.count() <= 5
        assert sub.track.min_topics <= sub.topics.count() <= sub.track.max_topics
        assert sub.authors.filter(user__isnull=True).count() == 0
    assert SubmissionFile.objects.filter(kind=sub_enums.FileKind.PAPER).count() == 5
    assert Conflict.objects.filter(source=sub_enums.ConflictSource.AUTHOR_DECLARED).count() == 1
    # The committee conflicts planted by the plan are found by the detector.
    assert Conflict.objects.exclude(source=sub_enums.ConflictSource.AUTHOR_DECLARED).exists()
    assert PASSWORD in demo["output"]
    assert "chair@mlsys2027.example.org" in demo["output"]


@pytest.mark.django_db
def test_manifest_lists_accounts_and_papers_and_the_chair_can_log_in(demo, client):
    doc = demo["manifest"]

    assert doc["conference"] == "mlsys2027"
    assert doc["phase"] == "reviewing"
    assert len(doc["accounts"]) == ACCOUNTS
    assert set(doc["accounts"][0]) == {
        "name",
        "email",
        "password",
        "roles",
        "side",
        "assigned",
        "evaluates",
    }
    chair = doc["accounts"][0]
    assert chair["roles"] == [enums.Role.PROGRAM_CHAIR]
    assert doc["accounts"][1]["roles"] == [enums.Role.AE_CHAIR]
    assert Counter(a["side"] for a in doc["accounts"] if a["side"]) == {"ML": 6, "SYSTEMS": 6}
    assert [s["number"] for s in doc["submissions"]] == [1, 2, 3, 4, 5, 6]
    first = doc["submissions"][0]
    assert {
        "number",
        "title",
        "track",
        "anonymous",
        "authors",
        "conflicted_accounts",
        "reviewers",
        "artifact",
    } <= set(first)
    assert first["artifact"] is None  # no artifacts before the decisions are out
    assert set(first["authors"][0]) == {"name", "email"}
    declared = Conflict.objects.get(source=sub_enums.ConflictSource.AUTHOR_DECLARED)
    entry = doc["submissions"][declared.submission.number - 1]
    assert declared.user.email in entry["conflicted_accounts"]

    assert client.login(email=chair["email"], password=chair["password"])
    assert client.login(email=doc["accounts"][-1]["email"], password=PASSWORD)


@pytest.mark.django_db
def test_if_empty_keeps_the_existing_demo_and_rewrites_the_manifest(demo, tmp_path):
    counts = (User.objects.count(), Submission.objects.count(), SubmissionFile.objects.count())
    out = io.StringIO()

    call_command(
        "seed_demo", *SMALL, "--if-empty", "--manifest", str(tmp_path / "m.json"), stdout=out
    )

    assert "already exists" in out.getvalue()
    assert PASSWORD in out.getvalue()
    assert json.loads((tmp_path / "m.json").read_text()) == demo["manifest"]
    after = (User.objects.count(), Submission.objects.count(), SubmissionFile.objects.count())
    assert after == counts
    with pytest.raises(CommandError, match="exists"):
        call_command("seed_demo", *SMALL, stdout=io.StringIO())


def _without_assignments(doc: dict) -> dict:
    return {
        **doc,
        "accounts": [{k: v for k, v in a.items() if k != "assigned"} for a in doc["accounts"]],
        "submissions": [
            {k: v for k, v in s.items() if k != "reviewers"} for s in doc["submissions"]
        ],
    }


@pytest.mark.django_db
def test_same_seed_gives_the_same_demo_after_reset(demo, tmp_path):
    # Inside this test's transaction: the checks never run and the reset is rolled back.
    out = io.StringIO()

    call_command("seed_demo", *SMALL, "--reset", "--manifest", str(tmp_path / "m.json"), stdout=out)

    assert (
        f"Deleted the demo conference (6 papers, 5 files) and {ACCOUNTS} demo accounts."
        in out.getvalue()
    )
    again = json.loads((tmp_path / "m.json").read_text())
    # Without the checks no PDF text is extracted, so affinities (and the assignment they
    # steer) may differ; everything else, bids and their conflicts included, is the same.
    assert _without_assignments(again) == _without_assignments(demo["manifest"])
    assert all(len(s["reviewers"]) == 3 for s in again["submissions"] if s["status"] == "submitted")
    assert User.objects.count() == ACCOUNTS
    other = make_plan(papers=6, reviewers=4, seed=2)
    assert [p.title for p in other.papers] != [s["title"] for s in demo["manifest"]["submissions"]]


@pytest.mark.django_db
def test_demo_pdfs_carry_the_planted_problems_and_are_checked(demo):
    notes = {p.number: p for p in make_plan(papers=6, reviewers=12, seed=1).papers}
    files = {f.submission.number: f for f in SubmissionFile.objects.select_related("submission")}

    def reader(number: int) -> PdfReader:
        return PdfReader(io.BytesIO(demo["files"][number]))

    leak = next(n for n, p in notes.items() if "leak" in p.note)
    assert reader(leak).metadata["/Author"] == notes[leak].authors[0].name
    assert files[leak].check_status == sub_enums.CheckStatus.FAILED
    assert any(notes[leak].authors[0].name in e["message"] for e in files[leak].report["errors"])
    hidden = next(n for n, p in notes.items() if "hidden" in p.note)
    first_page = " ".join(reader(hidden).pages[0].extract_text().split())
    assert "ignore all previous instructions" in first_page
    assert files[hidden].check_status == sub_enums.CheckStatus.WARNINGS
    acknowledging = next(n for n, p in notes.items() if "acknowledgements" in p.note)
    assert reader(acknowledging).metadata.get("/Author") is None
    assert files[acknowledging].check_status == sub_enums.CheckStatus.WARNINGS
    long_draft = next(n for n, p in notes.items() if "page limit" in p.note)
    assert files[long_draft].pages_before_references > 6
    assert files[long_draft].check_status == sub_enums.CheckStatus.FAILED
    assert all(f.submission.current_paper_id == f.pk for f in files.values())


# --- The committee's year ------------------------------------------------------------------


def _pc(conference) -> dict[int, CommitteeMembership]:
    return {
        m.user_id: m
        for m in CommitteeMembership.objects.filter(
            conference=conference, role=enums.Role.PC_MEMBER
        ).select_related("user")
    }


@pytest.mark.django_db
def test_every_pc_member_has_topic_levels_and_expertise_from_their_area(demo):
    conference = Conference.objects.get(slug="mlsys2027")
    profiles = make_profiles(make_plan(papers=6, reviewers=12, seed=1))
    areas = dict(Topic.objects.filter(conference=conference).values_list("pk", "area"))

    for uid, member in _pc(conference).items():
        levels = dict(
            TopicInterest.objects.filter(conference=conference, user_id=uid).values_list(
                "topic_id", "level"
            )
        )
        assert len(levels) == 40  # every topic, "none" stored explicitly
        own = Counter(level for pk, level in levels.items() if areas[pk] == member.side)
        other = Counter(level for pk, level in levels.items() if areas[pk] != member.side)
        assert own[InterestLevel.EXPERT] == 2 and own[InterestLevel.HIGH] == 1
        assert other[InterestLevel.EXPERT] == 0 and sum(other.values()) - other[0] == 2
        titles = list(
            Expertise.objects.used_at(conference)
            .filter(user_id=uid)
            .values_list("title", flat=True)
        )
        assert 2 <= len(titles) <= 4
        assert sorted(titles) == sorted(p["title"] for p in profiles[member.user.email].expertise)


@pytest.mark.django_db
def test_most_pc_members_bid_and_conflict_bids_hide_the_paper(demo):
    conference = Conference.objects.get(slug="mlsys2027")
    pc = _pc(conference)
    bids = list(Bid.objects.filter(submission__conference=conference).select_related("user"))

    bidders = {b.user_id for b in bids}
    assert bidders <= set(pc)
    assert len(bidders) == round(0.8 * len(pc))
    # The PC members the command prints (first of each side by name) always bid.
    for side in (enums.Side.ML, enums.Side.SYSTEMS):
        first = min((m for m in pc.values() if m.side == side), key=lambda m: m.user.name)
        assert first.user_id in bidders
    values = Counter(b.value for b in bids)
    assert values[BidValue.EAGER] > 0 and values[BidValue.WILLING] > 0
    assert all(b.submission.status == sub_enums.Status.SUBMITTED for b in bids)
    for bid in bids:
        declared = Conflict.objects.filter(
            submission=bid.submission,
            user=bid.user,
            source=sub_enums.ConflictSource.REVIEWER_DECLARED,
            state=sub_enums.ConflictState.CONFIRMED,
        ).exists()
        assert declared == (bid.value == BidValue.CONFLICT)
        if bid.value != BidValue.CONFLICT:
            # Nobody bids on a paper they are conflicted with.
            assert not Conflict.objects.filter(
                submission=bid.submission, user=bid.user, state__in=sub_enums.EFFECTIVE
            ).exists()


@pytest.mark.django_db
def test_affinities_are_computed_by_the_chairs_service_for_submitted_papers(demo):
    conference = Conference.objects.get(slug="mlsys2027")
    run = AffinityRun.objects.get(conference=conference)

    assert run.status == ProposalStatus.READY
    assert run.started_by.email == "chair@mlsys2027.example.org"
    assert run.stats["papers"] == 3 and run.stats["reviewers"] == 12
    assert run.stats["reviewers_without_expertise"] == []
    rows = Affinity.objects.filter(conference=conference, source="tfidf")
    assert rows.count() == run.stats["pairs"] > 0
    assert set(rows.values_list("submission__status", flat=True)) == {sub_enums.Status.SUBMITTED}
    assert all(0 < score <= 1 for score in rows.values_list("score", flat=True))


@pytest.mark.django_db
def test_every_submitted_paper_has_three_released_reviewers_of_both_sides(demo):
    conference = Conference.objects.get(slug="mlsys2027")
    pc = _pc(conference)
    proposal = AssignmentProposal.objects.get(conference=conference)
    assignments = list(Assignment.objects.filter(conference=conference).select_related("reviewer"))

    assert proposal.status == ProposalStatus.COMMITTED
    assert all(a.released and a.proposal_id == proposal.pk for a in assignments)
    by_paper: dict[int, list[str]] = {}
    for a in assignments:
        by_paper.setdefault(a.submission_id, []).append(pc[a.reviewer_id].side)
    submitted = Submission.objects.filter(
        conference=conference, status=sub_enums.Status.SUBMITTED
    ).values_list("pk", flat=True)
    assert set(by_paper) == set(submitted)
    for sides in by_paper.values():
        assert len(sides) == 3
        assert enums.Side.ML in sides and enums.Side.SYSTEMS in sides
    for a in assignments:
        assert a.submission_id not in conflicted_submission_ids(a.reviewer, conference)
        assert not Bid.objects.filter(
            submission_id=a.submission_id, user=a.reviewer, value=BidValue.NOT_WILLING
        ).exists()
    # One release email per reviewer, in the outbox; nothing printed or really sent.
    released = OutboundEmail.objects.filter(template_key="reviews.assignments_released")
    assert sorted(e.to[0] for e in released) == sorted({a.reviewer.email for a in assignments})
    assert "Your papers to review" in released[0].subject


@pytest.mark.django_db
def test_manifest_lists_each_accounts_assigned_papers_and_each_papers_reviewers(demo):
    doc = demo["manifest"]
    expected: dict[str, list[int]] = {}
    for email, number in Assignment.objects.order_by("submission__number").values_list(
        "reviewer__email", "submission__number"
    ):
        expected.setdefault(email, []).append(number)

    assert {a["email"]: a["assigned"] for a in doc["accounts"] if a["assigned"]} == expected
    assert all(a["assigned"] == [] for a in doc["accounts"] if not a["side"])
    for entry in doc["submissions"]:
        assert entry["reviewers"] == sorted(
            e for e, numbers in expected.items() if entry["number"] in numbers
        )
        assert not set(entry["reviewers"]) & set(entry["conflicted_accounts"])
    for label, who, _ in manifest.key_accounts(doc):
        assert f"{label}  " in demo["output"] and who in demo["output"]
        account = next(a for a in doc["accounts"] if f"<{a['email']}>" in who)
        count = len(account["assigned"])
        assert label.endswith(f", {count} paper{'s' * (count > 1)} to review") == bool(count)
    assert "every paper has its reviewers, ML and Systems" in demo["output"]


def _forget_committee(conference) -> None:
    """Delete what the committee's part wrote, leaving the papers and their conflicts."""
    Decision.objects.filter(submission__conference=conference).delete()
    MetaReview.objects.filter(submission__conference=conference).delete()
    Bid.objects.filter(submission__conference=conference).delete()
    Comment.objects.filter(submission__conference=conference).delete()
    AuthorResponse.objects.filter(submission__conference=conference).delete()
    # Reviews first: an assignment delete never takes a review with it (issue 8, RESTRICT).
    Review.objects.filter(submission__conference=conference).delete()
    for model in (Affinity, AffinityRun, AssignmentProposal, Assignment, TopicInterest):
        model.objects.filter(conference=conference).delete()
    # Expertise is the person's (issue 10): the committee's papers go with their profiles.
    Expertise.objects.filter(user_id__in=conference.memberships.values("user_id")).delete()
    Conflict.objects.filter(
        submission__conference=conference, source=sub_enums.ConflictSource.REVIEWER_DECLARED
    ).delete()


def _committee_state(conference):
    return (
        sorted(
            Bid.objects.filter(submission__conference=conference).values_list(
                "submission__number", "user__email", "value"
            )
        ),
        sorted(
            (number, email, round(score, 6))
            for number, email, score in Affinity.objects.filter(conference=conference).values_list(
                "submission__number", "user__email", "score"
            )
        ),
        sorted(
            Assignment.objects.filter(conference=conference).values_list(
                "submission__number", "reviewer__email", "released"
            )
        ),
        sorted(
            (number, email, state, sorted(answers.items()))
            for number, email, state, answers in Review.objects.filter(
                submission__conference=conference
            ).values_list("submission__number", "reviewer__email", "state", "answers")
        ),
        sorted(
            Comment.objects.filter(submission__conference=conference).values_list(
                "submission__number", "author__email", "body"
            )
        ),
    )


@pytest.mark.django_db
def test_replaying_the_committee_with_the_same_seed_gives_the_same_bids_and_assignment(demo):
    conference = Conference.objects.get(slug="mlsys2027")
    before = _committee_state(conference)
    _forget_committee(conference)
    plan = make_plan(papers=6, reviewers=12, seed=1)

    outcome = reviewing.play(conference, plan, phase="reviewing", now=timezone.now())

    assert _committee_state(conference) == before
    assert outcome.uncovered == [] and outcome.problem == ""
    assert (outcome.papers, outcome.assignments, outcome.released) == (3, 9, 9)


@pytest.mark.django_db
def test_a_demo_in_its_bidding_phase_has_bids_and_affinities_but_no_assignment(demo):
    conference = Conference.objects.get(slug="mlsys2027")
    _forget_committee(conference)

    reviewing.play(
        conference, make_plan(papers=6, reviewers=12, seed=1), phase="bidding", now=timezone.now()
    )

    conference = Conference.objects.get(pk=conference.pk)
    assert conference.current_phase == enums.Phase.BIDDING
    assert Bid.objects.filter(submission__conference=conference).exists()
    assert Affinity.objects.filter(conference=conference).exists()
    assert not AssignmentProposal.objects.filter(conference=conference).exists()
    assert not Assignment.objects.filter(conference=conference).exists()


@pytest.mark.django_db
def test_a_demo_in_its_submission_phase_has_profiles_only(demo):
    conference = Conference.objects.get(slug="mlsys2027")
    _forget_committee(conference)

    outcome = reviewing.play(
        conference,
        make_plan(papers=6, reviewers=12, seed=1),
        phase="submission",
        now=timezone.now(),
    )

    conference = Conference.objects.get(pk=conference.pk)
    assert conference.current_phase == enums.Phase.SUBMISSION
    assert conference.timeline().can_update_submission()
    assert outcome.profiles == 12
    assert TopicInterest.objects.filter(conference=conference).count() == 12 * 40
    assert not Bid.objects.filter(submission__conference=conference).exists()
    assert not Affinity.objects.filter(conference=conference).exists()


def test_an_unknown_phase_is_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("seed_demo", "--phase", "proceedings", stdout=io.StringIO())


def test_default_committee_covers_every_topic_and_has_room_for_every_review():
    plan = make_plan()
    profiles = make_profiles(plan).values()

    strong = {name for p in profiles for name, lvl in p.levels.items() if lvl >= InterestLevel.HIGH}
    assert len(strong) == 40
    assert all(2 <= len(p.expertise) <= 4 for p in profiles)
    low, high = build._loads(plan)
    reviews = 3 * sum(p.status == sub_enums.Status.SUBMITTED for p in plan.papers)
    assert (low, high) == (4, 8)
    assert low * len(plan.pc) <= reviews <= high * len(plan.pc)


# --- Reviews, discussion, responses ----------------------------------------------------------


@pytest.mark.django_db
def test_reviewers_have_submitted_and_draft_reviews_on_their_released_papers(demo):
    conference = Conference.objects.get(slug="mlsys2027")
    reviews = list(Review.objects.filter(submission__conference=conference).select_related("form"))
    form = ensure_default_form(conference)

    states = Counter(r.state for r in reviews)
    assert states["submitted"] >= 1 and states["draft"] >= 1
    assert len(reviews) <= Assignment.objects.filter(conference=conference).count()
    for review in reviews:
        assert review.assignment.released and review.assignment.reviewer_id == review.reviewer_id
        assert review.form == form
        if review.state == "submitted":
            # Complete answers a reviewer could have typed: they pass the form's validation.
            assert validate_answers(form, review.answers, final=True) == review.answers
            assert review.answers["strengths"].startswith("- ")
            assert ReviewRevision.objects.filter(review=review, number=1).exists()
        else:
            assert "weaknesses" not in review.answers
    # Reviewing phase: no author responses yet.
    assert not AuthorResponse.objects.filter(submission__conference=conference).exists()


def test_ml_and_systems_reviewers_disagree_on_split_papers():
    import random

    rng = random.Random(3)
    title = "Quill: Serving Large Language Models with a Disaggregated KV Cache Manager"

    for story, skeptic, fan in (
        (review_text.ML_SKEPTIC, "ML", "SYSTEMS"),
        (review_text.SYSTEMS_SKEPTIC, "SYSTEMS", "ML"),
    ):
        low = review_text.review_answers(rng, title=title, story_name=story, side=skeptic)
        high = review_text.review_answers(rng, title=title, story_name=story, side=fan)
        assert low["overall_merit"] <= 3 < 4 <= high["overall_merit"]
        own = "ml_contribution" if skeptic == "ML" else "systems_contribution"
        assert low[own] <= 2
        assert "**Quill**" in low["summary"]
    good = [
        review_text.review_answers(rng, title=title, story_name="good", side=s)
        for s in ["ML", "SYSTEMS"]
    ]
    assert all(a["overall_merit"] >= 4 for a in good)


@pytest.mark.django_db
def test_a_demo_in_its_response_phase_has_author_responses_and_post_response_revisions(demo):
    conference = Conference.objects.get(slug="mlsys2027")
    _forget_committee(conference)

    outcome = reviewing.play(
        conference, make_plan(papers=6, reviewers=12, seed=1), phase="response", now=timezone.now()
    )

    conference = Conference.objects.get(pk=conference.pk)
    assert conference.current_phase == enums.Phase.RESPONSE
    assert outcome.reviews["submitted"] >= 7
    responses = list(AuthorResponse.objects.filter(submission__conference=conference))
    assert Counter(r.state for r in responses) == outcome.responses
    submitted = [r for r in responses if r.state == "submitted"]
    assert submitted
    for response in submitted:
        assert response.submission.authors.filter(user=response.submitted_by).exists()
        assert "**Baselines.**" in response.text
        # Every review of a responded paper was in before the response.
        assert not Review.objects.filter(submission=response.submission, state="draft").exists()
    # The reviewers were told, through the outbox.
    assert (
        OutboundEmail.objects.filter(conference=conference)
        .exclude(template_key__startswith="reviews.assignments")
        .exists()
    )
    assert not ReviewRevision.objects.filter(after_response=True).exclude(number__gt=1).exists()


def test_the_planted_anonymity_failure_is_released_to_its_reviewers_with_the_assignments(demo):
    notes = {p.number: p for p in make_plan(papers=6, reviewers=12, seed=1).papers}
    leak = next(n for n, p in notes.items() if "leak" in p.note)
    paper = Submission.objects.select_related("current_paper").get(number=leak)
    if paper.status not in sub_enums.ACTIVE:
        pytest.skip("the small demo's leaking paper is not under review")
    assert paper.current_paper.anonymity_failed
    released = AuditEvent.objects.filter(
        action="submissions.released_for_reviewers", object_id=str(paper.current_paper_id)
    ).exists()
    chair = User.objects.get(email=PLAN_CHAIR)
    if chair.has_perm("submissions.release_for_reviewers", paper):
        assert paper.reviewer_paper_id == paper.current_paper_id
        assert paper.current_paper.released_at is not None and released
    else:  # the chair is conflicted with it (same institution): it stays withheld
        assert paper.reviewer_paper_id is None and not released

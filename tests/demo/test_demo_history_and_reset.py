"""``manage.py seed_demo``, continued: the demo's history is coherent with its phase and
deadlines; the command prints its progress; ``--reset`` deletes only what the demo created."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from decisions.models import Decision
from demo import build, data, reviewing, schedule
from demo.plan import make_plan
from mlsys.accounts.models import User
from mlsys.conferences import enums
from mlsys.conferences.models import CommitteeMembership, Conference, Deadline
from mlsys.conferences.viewer import Viewer
from mlsys.core.models import AuditEvent
from mlsys.mail.models import OutboundEmail
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
from submissions import enums as sub_enums
from submissions.models import Conflict, Submission, SubmissionFile
from tests import factories
from tests.demo.seeding import ACCOUNTS, SMALL
from tests.demo.test_seed_demo import _forget_committee

# --- A coherent history (issue 8) ----------------------------------------------------------


def _seeded_at(conference):
    return AuditEvent.objects.get(conference=conference, action="core.demo_seeded").created_at


@pytest.mark.django_db
def test_the_papers_history_fits_the_deadlines(demo):
    conference = Conference.objects.get(slug="mlsys2027")
    deadlines = {k: d.at for k, d in conference.deadline_map().items()}
    K = enums.DeadlineKind
    grace = timedelta(minutes=conference.submission_grace_minutes)
    seeded = _seeded_at(conference)

    # The conference opened, then the people it invited (accounts from earlier years) accepted.
    assert conference.created_at < deadlines[K.REGISTRATION]
    assert User.objects.filter(date_joined__gte=conference.created_at).count() == 0
    for m in CommitteeMembership.objects.filter(conference=conference):
        assert conference.created_at < m.invited_at < m.responded_at < deadlines[K.SUBMISSION]
    papers = Submission.objects.filter(conference=conference).prefetch_related("files", "authors")
    for sub in papers:
        # Registered before the registration deadline, with its authors.
        assert conference.created_at < sub.created_at < deadlines[K.REGISTRATION]
        assert {a.created_at for a in sub.authors.all()} == {sub.created_at}
        created = AuditEvent.objects.get(
            action="submissions.created", object_id=str(sub.pk), content_type__model="submission"
        )
        assert created.created_at == sub.created_at
        for file in sub.files.all():
            # Every upload after registration, checked at once, before submission.
            assert sub.created_at < file.created_at == file.checked_at
            if sub.submitted_at:
                assert file.created_at < sub.submitted_at
            uploaded = AuditEvent.objects.get(
                action="submissions.paper_uploaded", object_id=str(file.pk)
            )
            assert uploaded.created_at == file.created_at
        if sub.submitted_at:
            assert sub.submitted_at <= deadlines[K.SUBMISSION] + grace
            status = AuditEvent.objects.get(
                action="submissions.status.submitted", object_id=str(sub.pk)
            )
            assert status.created_at == sub.submitted_at
        else:
            assert sub.status == sub_enums.Status.DRAFT
        if sub.status == sub_enums.Status.WITHDRAWN:
            withdrawn = AuditEvent.objects.get(
                action="submissions.status.withdrawn", object_id=str(sub.pk)
            )
            assert sub.submitted_at < withdrawn.created_at < deadlines[K.SUBMISSION]
        assert sub.updated_at < deadlines[K.SUBMISSION] + grace
    # Deadlines were set once, when the conference opened: never moved around.
    assert not AuditEvent.objects.filter(conference=conference, action="deadlines.updated")
    assert set(
        Deadline.objects.filter(conference=conference).values_list("created_at", flat=True)
    ) == {conference.created_at}
    # Nothing happened after the seeding.
    assert not AuditEvent.objects.filter(conference=conference, created_at__gt=seeded).exists()


@pytest.mark.django_db
def test_the_committees_history_fits_the_deadlines(demo):
    conference = Conference.objects.get(slug="mlsys2027")
    deadlines = {k: d.at for k, d in conference.deadline_map().items()}
    K = enums.DeadlineKind
    seeded = _seeded_at(conference)

    for row in [
        *TopicInterest.objects.filter(conference=conference),
        *Expertise.objects.used_at(conference).filter(
            user_id__in=conference.memberships.values("user_id")
        ),
    ]:
        assert conference.created_at < row.created_at < deadlines[K.SUBMISSION]
    run = AffinityRun.objects.get(conference=conference)
    assert deadlines[K.SUBMISSION] < run.created_at <= run.finished_at < deadlines[K.BIDDING]
    bids = Bid.objects.filter(submission__conference=conference)
    assert all(run.finished_at < b.created_at < deadlines[K.BIDDING] for b in bids)
    # Assignments after bidding closed, reviews between their release and the deadline.
    proposal = AssignmentProposal.objects.get(conference=conference)
    assert deadlines[K.BIDDING] < proposal.created_at < proposal.committed_at
    assignments = Assignment.objects.filter(conference=conference)
    released = AuditEvent.objects.filter(
        conference=conference, action__startswith="assignment"
    ).aggregate(last=Max("created_at"))["last"]
    assert proposal.committed_at <= released < seeded
    assert {a.created_at for a in assignments} == {proposal.committed_at}
    reviews = list(Review.objects.filter(submission__conference=conference))
    submitted = [r for r in reviews if r.state == "submitted"]
    assert len({r.submitted_at for r in submitted}) == len(submitted)  # not all at once
    for review in reviews:
        assert released < review.created_at <= review.updated_at < seeded
        if review.state == "submitted":
            assert review.created_at <= review.submitted_at < deadlines[K.REVIEW]
            event = AuditEvent.objects.get(action="review.submitted", object_id=str(review.pk))
            assert (event.created_at, event.note) == (review.submitted_at, "")
    # Some reviewers saved a draft days before submitting.
    assert any(r.submitted_at - r.created_at > timedelta(hours=1) for r in submitted)
    by_paper: dict[int, list] = {}
    for r in submitted:
        by_paper.setdefault(r.submission_id, []).append(r.submitted_at)
    for comment in Comment.objects.filter(submission__conference=conference):
        assert max(by_paper[comment.submission_id]) < comment.created_at < seeded
    for email in OutboundEmail.objects.filter(conference=conference):
        assert email.created_at < seeded


@pytest.mark.django_db
def test_in_the_response_phase_some_reviews_are_late_or_missing_and_responses_follow(demo):
    conference = Conference.objects.get(slug="mlsys2027")
    _forget_committee(conference)
    Review.objects.filter(submission__conference=conference).delete()
    now = timezone.now()

    reviewing.play(conference, make_plan(papers=6, reviewers=12, seed=1), phase="response", now=now)

    conference = Conference.objects.get(pk=conference.pk)
    deadlines = {k: d.at for k, d in conference.deadline_map().items()}
    K = enums.DeadlineKind
    reviews = Review.objects.filter(submission__conference=conference, state="submitted")
    late = [r for r in reviews if r.submitted_at > deadlines[K.REVIEW]]
    assert late and len(late) < reviews.count()
    for review in reviews:
        event = AuditEvent.objects.get(action="review.submitted", object_id=str(review.pk))
        if review in late:
            # After the deadline, before the response opened; the audit says "late".
            assert review.submitted_at < deadlines[K.RESPONSE_OPEN]
            assert event.note == "late"
        else:
            assert event.note == ""
    for response in AuthorResponse.objects.filter(submission__conference=conference):
        assert deadlines[K.RESPONSE_OPEN] <= response.updated_at < now
        assert all(
            r.submitted_at < response.updated_at
            for r in Review.objects.filter(submission=response.submission)
        )
    for revision in ReviewRevision.objects.filter(after_response=True):
        response = AuthorResponse.objects.get(submission=revision.review.submission)
        assert response.submitted_at < revision.created_at < now


def test_the_years_windows_lie_between_the_deadlines_and_before_now():
    K = enums.DeadlineKind
    for phase in schedule.PHASES:
        for hour in (0, 11, 12, 23):
            now = timezone.now().replace(hour=hour, minute=30)
            year = schedule.Year(phase, now)
            d = year.deadlines
            start, end = year.registration
            assert year.opened < year.invited < start < end < d[K.REGISTRATION]
            assert end < now and year.submission_end < now and year.conflicts < now
            assert year.profiles[0] < year.profiles[1] < min(now, d[K.SUBMISSION])
            if phase == schedule.SUBMISSION:
                continue
            assert d[K.SUBMISSION] < year.affinities < year.bidding[0] < year.bidding[1] < now
            assert year.bidding[1] < d[K.BIDDING]
            if phase == schedule.BIDDING:
                continue
            assert d[K.BIDDING] < year.assignment < year.released < year.reviewing[0]
            assert year.reviewing[0] < year.reviewing[1] < min(now, d[K.REVIEW])
            if phase == schedule.RESPONSE:
                assert d[K.REVIEW] < year.late[0] < year.late[1] < d[K.RESPONSE_OPEN]
                assert year.response == (d[K.RESPONSE_OPEN], now)


# --- Progress and --reset (issue 8) --------------------------------------------------------

PROGRESS_LINE = re.compile(r"^\[ *(\d+\.\d) s\] (.+)$")


@pytest.mark.django_db
def test_the_seed_prints_each_step_with_counts_and_elapsed_time(demo):
    steps = [m.groups() for m in map(PROGRESS_LINE.match, demo["output"].splitlines()) if m]
    messages = [message for _, message in steps]

    assert messages == [
        "Seeding 6 papers and a PC of 12 up to the reviewing phase.",
        "Wrote the conference, 74 accounts, 14 committee members and 6 registered papers.",
        "Rendered, uploaded and checked 5 of 5 PDFs.",
        "Submitted 4 papers (1 since withdrawn); "
        f"{Conflict.objects.filter(state__in=sub_enums.EFFECTIVE).count()} effective conflicts "
        "detected or declared.",
        "12 PC members filled in their topics and expertise.",
        f"Affinities computed ({Affinity.objects.count()} scores); {Bid.objects.count()} bids "
        f"from {round(0.8 * 12)} PC members.",
        "Assignment solved, committed and released.",
        f"{Review.objects.filter(state='submitted').count()} reviews submitted, "
        f"{Review.objects.filter(state='draft').count()} in progress; "
        f"{Comment.objects.count()} discussion comments.",
    ]
    elapsed = [float(seconds) for seconds, _ in steps]
    assert elapsed == sorted(elapsed)


@pytest.mark.django_db
def test_reset_deletes_only_what_the_demo_created_and_reports_true_counts(
    demo, client, django_capture_on_commit_callbacks
):
    # Accounts made on the site, at addresses of the demo's domains.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "name": "Site Visitor",
                "affiliation": "Somewhere",
                "email": "visitor@mlsys2027.example.org",
                "password1": "a-real-password-42",
                "password2": "a-real-password-42",
            },
        )
    assert response.status_code == 302
    institution = data.INSTITUTIONS[0].domain
    plain = User.objects.create_user(email=f"someone@{institution}", password="x-long-enough-1")
    conference = Conference.objects.get(slug="mlsys2027")
    counts = (User.objects.count(), Submission.objects.count(), SubmissionFile.objects.count())

    done = build.reset()

    assert (done.conference, done.kept) == (True, 0)
    assert (done.accounts, done.submissions, done.files) == (ACCOUNTS, 6, 5)
    after = (User.objects.count(), Submission.objects.count(), SubmissionFile.objects.count())
    assert tuple(a - b for a, b in zip(counts, after, strict=True)) == (
        done.accounts,
        done.submissions,
        done.files,
    )
    assert set(User.objects.values_list("email", flat=True)) == {
        "visitor@mlsys2027.example.org",
        plain.email,
    }
    assert not Conference.objects.filter(pk=conference.pk).exists()
    # Nothing left to delete: said so, and the site's accounts still survive.
    out = io.StringIO()
    call_command("seed_demo", *SMALL, "--reset", "-v", "0", stdout=out)
    assert out.getvalue().startswith("There was no demo conference to delete.\n")
    # Quiet: no progress lines, only the result and the accounts.
    assert not any(PROGRESS_LINE.match(line) for line in out.getvalue().splitlines())
    assert "Seeded MLSys 2027" in out.getvalue()
    assert User.objects.count() == ACCOUNTS + 2

    out = io.StringIO()
    call_command("seed_demo", *SMALL, "--reset", "-v", "0", stdout=out)
    assert "Deleted the demo conference (6 papers, 5 files) and 74 demo accounts." in (
        out.getvalue()
    )
    assert (
        User.objects.filter(email__in=["visitor@mlsys2027.example.org", plain.email]).count() == 2
    )


@pytest.mark.django_db
def test_reset_keeps_a_demo_account_someone_made_a_member_elsewhere(demo):
    doc = demo["manifest"]
    member = User.objects.get(email=doc["accounts"][-1]["email"])
    other = factories.ConferenceFactory(slug="other", name="Other", short_name="", timezone="UTC")
    factories.MembershipFactory(
        conference=other,
        user=member,
        role=enums.Role.PC_MEMBER,
        side=enums.Side.ML,
        status=enums.InvitationStatus.INVITED,  # the model's default, as a bare invitation
        max_load=None,
    )

    done = build.reset()

    assert (done.accounts, done.kept) == (ACCOUNTS - 1, 1)
    assert list(User.objects.all()) == [member]


@pytest.mark.django_db
def test_a_demo_seeded_before_accounts_were_recorded_resets_by_address_and_join_time(demo):
    conference = Conference.objects.get(slug="mlsys2027")
    AuditEvent.objects.filter(action=build.DEMO_ACCOUNTS).delete()
    # How the older seeder left its accounts: opened with the conference.
    User.objects.update(date_joined=conference.created_at + timedelta(seconds=2))
    later = User.objects.create_user(
        email=f"late@{data.INSTITUTIONS[1].domain}", password="x-long-enough-1"
    )

    done = build.reset()

    assert done.accounts == ACCOUNTS
    assert list(User.objects.all()) == [later]


@pytest.mark.django_db
def test_the_seed_refuses_to_take_over_an_existing_account(demo):
    build.reset()
    User.objects.create_user(email="chair@mlsys2027.example.org", password="x-long-enough-1")

    with pytest.raises(CommandError, match="exist already but were not created by it") as info:
        call_command("seed_demo", *SMALL, stdout=io.StringIO())

    assert "--reset" not in str(info.value)
    assert not Conference.objects.exists()
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_tasks_run_in_the_command_on_the_demo_clock_even_with_a_broker(monkeypatch):
    from mlsys.celery import app

    seen = []

    def fake_build(plan, **kwargs):
        seen.append(app.conf.task_always_eager)
        raise reviewing.DemoError("Stopped.")

    monkeypatch.setattr(build, "build", fake_build)
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False  # as with a broker configured
    try:
        with pytest.raises(CommandError, match=r"^Stopped\.$"):
            call_command("seed_demo", *SMALL, "--reset", stdout=io.StringIO())
        assert seen == [True]
        assert app.conf.task_always_eager is False
    finally:
        app.conf.task_always_eager = eager


def test_importing_the_pdf_renderer_prints_nothing():
    import subprocess
    import sys

    code = (
        "import django; django.setup(); import demo.pdfs as p; "
        "p.render_paper(p.PaperSpec(title='T', abstract='A', sections=[], references=[], "
        "figure_caption='F'))"
    )
    env = {"DJANGO_SETTINGS_MODULE": "mlsys.settings", "MLSYS_TESTING": "1", "PATH": "/usr/bin"}

    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )

    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


@pytest.mark.django_db
def test_a_demo_in_its_decisions_phase_has_meta_reviews_and_pending_decisions(demo):
    conference = Conference.objects.get(slug="mlsys2027")
    _forget_committee(conference)
    reviewing.play(
        conference, make_plan(papers=6, reviewers=12, seed=1), phase="decisions", now=timezone.now()
    )
    conference = Conference.objects.get(pk=conference.pk)
    assert conference.current_phase == enums.Phase.DISCUSSION
    metas = MetaReview.objects.filter(submission__conference=conference)
    assert metas.filter(state="submitted").exists()
    for meta in metas.filter(state="submitted"):
        assert meta.summary and meta.recommendation and meta.confidence
    decisions = list(Decision.objects.filter(submission__conference=conference))
    assert decisions and {d.status for d in decisions} == {"pending"}
    # Nothing is released: every paper is still under review, and no author reads a decision.
    assert not conference.submissions.filter(status__in=["accepted", "rejected"]).exists()
    assert conference.decisions_released_at is None
    for decision in decisions:
        for author in decision.submission.authors.exclude(user=None):
            assert not Viewer(author.user).has_perm("decisions.view_decision", decision.submission)

"""The authors' section of the home page (registered in SubmissionsConfig.ready): the
visitor's papers, each with its status as the authors may know it and what it still needs.

Decisions show only once the chairs release them: a paper becomes accepted or rejected only at
the release of its decision (submissions.services.status.apply_decision; the whole conference or
one track), and until then reads "Submitted". Every paper, grouped by conference, in a fixed
number of queries.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects

from mlsys.conferences.enums import DeadlineKind, Phase
from mlsys.conferences.homepage import Section
from mlsys.conferences.models import Conference
from mlsys.conferences.queries import with_schedule
from submissions import enums
from submissions.enums import Status
from submissions.models import Author, Submission, SubmissionFile
from submissions.services import missing_requirements


@dataclass
class PaperTask:
    submission: Submission
    status_label: str
    #: The status the authors may know (an unreleased decision reads "submitted").
    status_key: str
    #: What the authors still have to do, in words; empty when nothing.
    needs: list[str] = field(default_factory=list)
    #: (URL name, label) of the page where they do it.
    action: tuple[str, str] | None = None
    due: object = None


def authored(user):
    """``user``'s submissions, newest conference first (not yet bounded)."""
    return (
        Submission.objects.filter(
            Exists(Author.objects.filter(submission=OuterRef("pk"), user=user))
        )
        .select_related("track", "current_paper")
        .prefetch_related("topics", "track__extra_fields")
        .annotate(
            has_camera_ready=Exists(
                SubmissionFile.objects.filter(
                    submission=OuterRef("pk"), kind=enums.FileKind.CAMERA_READY
                )
            )
        )
        .order_by("-conference_id", "number")
    )


def paper_task(submission: Submission) -> PaperTask:
    conference = submission.conference
    timeline = conference.timeline()
    deadlines = conference.deadline_map()
    status = submission.status
    # Accepted or rejected only once its decision is released (never before).
    task = PaperTask(submission, submission.get_status_display(), status)
    if status in (Status.DRAFT, Status.WITHDRAWN):
        if status == Status.WITHDRAWN:
            return task
        if not timeline.can_update_submission():
            task.needs = [
                "Not submitted; the chairs have closed submissions for now."
                if timeline.submission_closed_early()
                else "Not submitted, and the submission deadline has passed."
            ]
            return task
        missing = missing_requirements(submission)
        task.needs = [f"Still missing: {', '.join(missing)}."] if missing else ["Ready: submit it."]
        task.action = ("submissions:detail", "Finish and submit")
        due = deadlines.get(DeadlineKind.SUBMISSION)
        task.due = due.at if due else None
        return task
    paper = submission.current_paper
    if status == Status.SUBMITTED and paper is not None:
        if paper.check_status == enums.CheckStatus.PENDING:
            task.needs.append("The paper is being checked.")
        elif paper.check_status in (enums.CheckStatus.FAILED, enums.CheckStatus.INVALID):
            task.needs.append(_check_problem(paper, can_fix=timeline.can_update_submission()))
            task.action = ("submissions:detail", "See the check report")
    if status in enums.ACTIVE and timeline.is_open(Phase.RESPONSE):
        task.needs.append("Reviews are available: read them and write your response.")
        task.action = ("reviews:response", "Reviews and response")
        close = deadlines.get(DeadlineKind.RESPONSE_CLOSE)
        task.due = close.at if close else None
    elif status == Status.REJECTED:
        # Released: the decision, the meta-review and the reviews are on the reviews page.
        task.needs.append("The decision is out: read it with the reviews.")
        task.action = ("reviews:response", "Decision and reviews")
    elif status == Status.ACCEPTED:
        camera = deadlines.get(DeadlineKind.CAMERA_READY)
        if not submission.has_camera_ready and camera is not None:
            task.needs.append(
                "Upload the camera-ready version."
                if timeline.is_open(Phase.CAMERA_READY) or camera.at <= timeline.now
                else "Camera-ready: the upload opens when decisions are final."
            )
            task.action = ("decisions:camera_ready", "Camera-ready")
            task.due = camera.at
        elif camera is not None and timeline.is_open(Phase.CAMERA_READY):
            # A PDF alone is not a complete camera-ready (author list, licence): until the
            # deadline, keep the way to its page, which says what is still missing.
            task.needs.append(
                "Camera-ready uploaded: its page shows whether the author list and the licence "
                "are still missing."
            )
            task.action = ("decisions:camera_ready", "Camera-ready")
            task.due = camera.at
    return task


def _check_problem(paper: SubmissionFile, *, can_fix: bool) -> str:
    """What is wrong with a failing current paper, telling a paper that names its authors from
    one that breaks the format rules, and what the authors can still do about it."""
    names = paper.anonymity_failed
    only_names = paper.status_label == "Names its authors (anonymity check failed)"
    if names and paper.released_at is not None:
        problem = (
            "The paper names its authors (anonymity check failed)"
            if only_names
            else "The paper fails the format check and names its authors"
        )
        return f"{problem}; the chairs released it to reviewers anyway."
    if not names:
        problem, fix = "The paper fails the format check", ": see the check report."
    elif only_names:
        problem = "The paper names its authors (anonymity check failed): reviewers do not get it"
        fix = ". Remove the names and upload it again."
    else:
        problem = "The paper fails the format check and names its authors: reviewers do not get it"
        fix = ". See the check report and upload a fixed version."
    if not can_fix:
        fix = (
            ". Submissions are closed, so you can no longer upload a fixed version; "
            "the chairs decide what happens to it."
        )
    return problem + fix


def papers_section(request) -> list[Section] | None:
    """One section per conference where the visitor authors papers, holding every one of their
    papers there (an author's papers are few: the list is not cut). Five queries whatever the
    number of papers and conferences."""
    user = request.user
    if not user.is_authenticated:
        return None
    submissions = list(authored(user))
    if not submissions:
        return None
    # Each paper's conference with its schedule: three queries for all of them.
    prefetch_related_objects(
        submissions, Prefetch("conference", queryset=with_schedule(Conference.objects.all()))
    )
    by_conference: dict[int, list[PaperTask]] = {}
    for submission in submissions:
        by_conference.setdefault(submission.conference_id, []).append(paper_task(submission))
    return [
        Section(
            "submissions/home_papers.html",
            {"paper_tasks": tasks},
            conference_id=conference_id,
            roles=("Author",),
        )
        for conference_id, tasks in by_conference.items()
    ]

"""The demo's artifacts phase: the decisions are out, camera-readies come in and the artifact
evaluation runs, played through the services by the people who would act.

After the discussion (deciding.py):

1. a few days after the author response closed, the AE chair configures the evaluation (AE
   settings, default badges; the AE dates are the conference's deadlines from the start) and
   invites the AE evaluators, who accept and fill in their hardware profiles;
2. the day before the decision deadline the program chair decides the papers still open, and
   releases every decision just after it (the authors of accepted papers are invited to
   register their artifact);
3. the chair publishes the licence terms; authors upload their camera-ready (every paper whose
   artifact is published and the papers left without an artifact, and about half the others);
4. authors register artifacts for most accepted papers; the AE chairs run a rolling
   evaluation: the artifacts submitted so far get bids, an assignment (the solver) and
   kick-the-tires, started by hand; evaluators fill checklists and send their combined
   message, authors answer, the chair moves artifacts on to evaluation, evaluators file
   verdicts, leads propose, the chair decides and publishes. Each artifact stops at its planned
   status (``story``), so every stage has an artifact to show; the artifacts submitted after
   the assignment wait for evaluators, a few are only registered.

The smoke checks that submitting starts are not run (``ARTIFACT_SMOKE_CHECKS`` off while
seeding): the demo's repositories and DOIs are fictional and seeding never touches the network.
"""

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from artifacts.assignment import services as assignment_services
from artifacts.assignment import solving
from artifacts.committee import services as committee_services
from artifacts.enums import KICK_THE_TIRES_ITEMS, BadgeOutcome, BidPreference, Thread, Verdict
from artifacts.enums import ArtifactStatus as S
from artifacts.evaluation import decide as deciding
from artifacts.evaluation import services as evaluation
from artifacts.models import Artifact, Badge, EvaluatorAssignment
from artifacts.registration import services as registration
from artifacts.setup import services as setup
from decisions.camera_ready import services as camera_ready
from decisions.models import Decision
from decisions.outcomes import outcomes_of
from decisions.services import record_decision, refusal, release_decisions
from demo import clock, pdfs, schedule
from demo.deciding import _merits
from demo.plan import HARDWARE, Plan, PlannedPaper
from mlsys.accounts.models import User
from mlsys.conferences import invitations
from mlsys.conferences.enums import Role
from mlsys.conferences.invitation_csv import Invitee
from mlsys.conferences.models import Conference
from mlsys.conferences.viewer import Viewer
from submissions import enums as sub_enums
from submissions.models import Submission

#: Of the papers still open at the decision deadline, the better share is accepted.
ACCEPT_REST_SHARE = 0.6
#: Where each accepted paper's artifact ends, in the order they are handed out (a small demo
#: shows the first ones); ``None``: the authors registered no artifact.
STORY = [
    S.PUBLISHED,
    S.PUBLISHED,
    None,
    None,
    S.DECIDED,
    S.DISCUSSION,
    S.EVALUATING,
    S.AWAITING_AUTHOR,
    S.KICK_THE_TIRES,
    S.SUBMITTED,
    S.REGISTERED,
]
#: Then, for the rest of the accepted papers, round and round (about half of them with
#: evaluators, so that the AE committee keeps room for the artifacts still to come).
MORE = [
    S.EVALUATING,
    S.SUBMITTED,
    S.REGISTERED,
    S.PUBLISHED,
    S.SUBMITTED,
    S.KICK_THE_TIRES,
    S.REGISTERED,
]
ORDER = [
    S.REGISTERED,
    S.SUBMITTED,
    S.KICK_THE_TIRES,
    S.AWAITING_AUTHOR,
    S.EVALUATING,
    S.DISCUSSION,
    S.DECIDED,
    S.PUBLISHED,
]
#: Share of the other accepted papers (not published, not without an artifact) whose authors
#: uploaded a camera-ready.
CAMERA_READY_SHARE = 0.3
#: The AE settings the chair chooses: two evaluators per artifact, up to four each.
AE_SETTINGS = {
    "enabled": True,
    "evaluators_per_artifact": 2,
    "evaluations_per_evaluator": 4,
    "call_url": "https://mlsys2027.example.org/artifacts",
}
LICENCE = (
    "The authors grant MLSys 2027 a non-exclusive, irrevocable licence to publish the paper in "
    "the conference proceedings and on the conference website. The authors keep the copyright."
)
#: Hardware an artifact may need (each fits at least four of the demo's evaluators, so that
#: the solver fills every place: "A100" is not met by the RTX, V100 or AMD machines).
NEEDS = [
    {"gpu_model": "A100", "gpu_count": "4"},
    {"gpu_model": "", "gpu_count": "1"},
    {"gpu_model": "", "gpu_count": "2"},
    {"gpu_model": "", "gpu_count": "0"},
    {"gpu_model": "", "gpu_count": "0", "special_hardware": "CloudLab"},
]


@contextmanager
def smoke_checks_off() -> Iterator[None]:
    """Within the block the smoke checks record that they did not run (no network)."""
    previous = getattr(settings, "ARTIFACT_SMOKE_CHECKS", True)
    settings.ARTIFACT_SMOKE_CHECKS = False
    try:
        yield
    finally:
        settings.ARTIFACT_SMOKE_CHECKS = previous


def play(conference: Conference, plan: Plan, *, year: schedule.Year) -> dict[str, int]:
    """The artifacts phase (see the module's docstring); returns counts for the report."""
    rng = random.Random(f"mlsys-demo-artifacts-{plan.seed}")
    chair = User.objects.get(email=plan.chair.email)
    ae_chair = User.objects.get(email=plan.ae_chair.email)
    with smoke_checks_off():
        evaluators = _committee(conference, plan, ae_chair, year, rng)
        accepted = _decide_and_release(conference, chair, year)
        story = _story(accepted, rng)
        uploads = _camera_readies(conference, plan, chair, story, year, rng)
        Evaluation(conference, ae_chair, evaluators, story, year, rng).run()
    counts = {
        "evaluators": len(evaluators),
        "accepted": len(accepted),
        "camera_ready": uploads,
        "without_artifact": sum(status is None for status in story.values()),
    }
    for status in Artifact.objects.filter(conference=conference).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


# --- The AE committee ---------------------------------------------------------------------------


def _committee(conference, plan, ae_chair, year, rng) -> list[User]:
    with clock.at(year.ae_setup):
        setup.update_settings(conference=conference, data=AE_SETTINGS, actor=ae_chair)
        memberships = [
            committee_services.invite(
                conference=conference,
                invitee=Invitee(
                    name=person.name,
                    email=person.email,
                    affiliation=person.institution.name,
                    role=Role.AE_EVALUATOR,
                ),
                actor=ae_chair,
            )
            for person in plan.evaluators
        ]
    start, end = year.ae_profiles
    users = []
    for membership, profile in zip(memberships, HARDWARE, strict=False):
        user = membership.user
        when = year.fraction(start, end, rng.random())
        with clock.at(when):
            invitations.accept_invitation(membership=membership, user=user)
        with clock.at(year.fraction(when, end, rng.uniform(0.05, 0.5))):
            committee_services.save_hardware(conference=conference, data=profile, actor=user)
        users.append(user)
    return users


# --- Decisions and camera-readies -------------------------------------------------------------


def _decide_and_release(conference, chair, year) -> list[Submission]:
    """The chair decides every paper still open (the better share accepted) and releases."""
    outcomes = {outcome.label: outcome for outcome in outcomes_of(conference)}
    merits = _merits(conference)
    decided = set(
        Decision.objects.filter(submission__conference=conference).values_list(
            "submission_id", flat=True
        )
    )
    open_papers = sorted(
        Submission.objects.filter(conference=conference, status=sub_enums.Status.SUBMITTED)
        .exclude(pk__in=decided)
        .order_by("number"),
        key=lambda paper: -merits.get(paper.pk, 0),
    )
    accept = round(ACCEPT_REST_SHARE * len(open_papers))
    viewer = Viewer(chair)
    open_papers = [paper for paper in open_papers if refusal(paper, viewer) is None]
    with clock.at(year.decided):
        for index, paper in enumerate(open_papers):
            outcome = outcomes["Accept (poster)" if index < accept else "Reject"]
            record_decision(submission=paper, outcome=outcome, actor=chair)
    with clock.at(year.released_decisions):
        release_decisions(conference=conference, actor=chair)
    return list(
        Submission.objects.filter(conference=conference, status=sub_enums.Status.ACCEPTED)
        .prefetch_related("authors__user")
        .order_by("number")
    )


def _story(accepted: list[Submission], rng: random.Random) -> dict[Submission, str | None]:
    """Each accepted paper's artifact fate (``STORY`` first, then ``MORE``)."""
    papers = list(accepted)
    rng.shuffle(papers)
    fates = STORY + [MORE[i % len(MORE)] for i in range(max(0, len(papers) - len(STORY)))]
    return dict(zip(papers, fates, strict=False))


def _camera_readies(conference, plan: Plan, chair, story, year, rng) -> int:
    """The chair publishes the licence terms; the authors of the papers that need one (published
    badges are stamped on it; the papers without an artifact) and about half the others upload
    their camera-ready (the demo's PDF with the authors' names) and accept the licence."""
    start, end = year.artifacts
    with clock.at(start):
        licence = camera_ready.save_settings(
            conference=conference, actor=chair, licence_text=LICENCE, rules={}
        )
    planned = {p.number: p for p in plan.papers}
    uploads = 0
    for paper, fate in sorted(story.items(), key=lambda item: item[0].number):
        if fate not in (S.PUBLISHED, None) and rng.random() >= CAMERA_READY_SHARE:
            continue
        author = _contact(paper)
        spec = planned[paper.number].spec
        if author is None or spec is None:
            continue
        pdf = pdfs.render_paper(_final_spec(spec, planned[paper.number]))
        with clock.at(year.fraction(start, end, rng.uniform(0.02, 0.3))):
            camera_ready.upload_camera_ready(
                submission=paper,
                actor=author,
                upload=SimpleUploadedFile(
                    f"mlsys27-{paper.number}-camera-ready.pdf", pdf, "application/pdf"
                ),
            )
            if licence is not None:
                camera_ready.accept_licence(submission=paper, actor=author, version=licence.version)
        uploads += 1
    return uploads


def _final_spec(spec: pdfs.PaperSpec, paper: PlannedPaper) -> pdfs.PaperSpec:
    """The camera-ready: the submitted paper with its authors named, without what the checks
    of the submission flagged."""
    return replace(
        spec,
        authors=[(a.name, a.institution.name) for a in paper.authors],
        hidden_text="",
        leak_sentence="",
        metadata_author="",
    )


def _contact(paper: Submission) -> User | None:
    authors = sorted(paper.authors.all(), key=lambda a: (not a.is_contact, a.order))
    return next((a.user for a in authors if a.user is not None), None)


# --- The artifacts ---------------------------------------------------------------------------


def _reached(fate: str | None, status: str) -> bool:
    return fate is not None and ORDER.index(fate) >= ORDER.index(status)


class Evaluation:
    """The authors' and the AE committee's part, stage by stage over ``year.artifacts``."""

    def __init__(self, conference, ae_chair, evaluators, story, year, rng):
        self.conference, self.ae_chair, self.evaluators = conference, ae_chair, evaluators
        self.story = {paper: fate for paper, fate in story.items() if fate is not None}
        self.year, self.rng = year, rng
        self.badges = {b.key: b for b in Badge.objects.filter(conference=conference)}
        self.artifacts: dict[int, Artifact] = {}

    def at(self, f: float):
        start, end = self.year.artifacts
        return clock.at(self.year.fraction(start, end, f))

    def papers(self, status: str, *, exactly: bool = False) -> list[Submission]:
        return sorted(
            (
                paper
                for paper, fate in self.story.items()
                if (fate == status if exactly else _reached(fate, status))
            ),
            key=lambda paper: paper.number,
        )

    def artifact(self, paper: Submission) -> Artifact:
        return Artifact.objects.get(pk=self.artifacts[paper.number].pk)

    def run(self) -> None:
        self.register()
        early = self.papers(S.KICK_THE_TIRES)
        self.submit(early, 0.32)
        self.bid_and_assign(early)
        self.kick_the_tires()
        self.evaluate()
        self.discuss_and_decide()
        self.submit(self.papers(S.SUBMITTED, exactly=True), 0.93)

    # Authors ---------------------------------------------------------------------------------

    def register(self) -> None:
        for position, paper in enumerate(self.papers(S.REGISTERED)):
            author = _contact(paper)
            data = self.registration(paper, author)
            keys = ["available", "functional"]
            if position % 3 == 0:
                keys.append("reproduced")
            elif position % 3 == 1:
                keys.append("reusable")
            late = self.story[paper] == S.REGISTERED
            with self.at(0.95 if late else 0.02 + 0.25 * self.rng.random()):
                self.artifacts[paper.number] = registration.create_artifact(
                    submission=paper,
                    actor=author,
                    data=data,
                    badges=[self.badges[key].pk for key in keys],
                )

    def registration(self, paper: Submission, author: User | None) -> dict:
        rng = self.rng
        slug = "-".join(paper.title.split(":")[0].lower().split()[:3])
        slug = "".join(c for c in slug if c.isalnum() or c == "-") or f"paper-{paper.number}"
        needs = rng.choice(NEEDS)
        return {
            "summary": paper.abstract,
            "repository_url": f"https://github.com/mlsys-demo/{slug}",
            "version": "".join(rng.choice("0123456789abcdef") for _ in range(40)),
            "doi": f"10.5281/zenodo.{rng.randint(1000000, 9999999)}",
            "licence": rng.choice(
                ["Apache-2.0", "MIT", "BSD-3-Clause", "Apache-2.0 AND CC-BY-4.0"]
            ),
            "packaging": rng.choice(["container", "container", "scripts", "notebook"]),
            "packaging_notes": "docker compose up; then ./run_all.sh (see README).",
            "cpu_cores": "8",
            "ram_gb": "32",
            "disk_gb": "100",
            **needs,
            "experiments": (
                f"Figure 4 | 20 | {rng.choice([0.5, 1, 2])}\n"
                f"Table 2 | 10 | {rng.choice([1, 3, 6])}\n"
                "Figure 6 (ablation) | 5 | 0.5"
            ),
            "datasets": (
                f"MLPerf traces subset | dataset | {rng.randint(2, 40)} | "
                "https://zenodo.example.org/traces\n"
                f"Llama-3 8B | model | 16"
            ),
            "access_instructions": "Everything is public; the container image is on Docker Hub.",
            "contact": str(author.pk) if author else "",
        }

    def submit(self, papers: list[Submission], f: float) -> None:
        for paper in papers:
            with self.at(f + 0.02 * self.rng.random()):
                registration.submit_artifact(artifact=self.artifact(paper), actor=_contact(paper))

    # The AE chair and the evaluators ----------------------------------------------------------

    def bid_and_assign(self, papers: list[Submission]) -> None:
        choices = [BidPreference.EAGER, BidPreference.WILLING, BidPreference.RELUCTANT]
        for evaluator in self.evaluators:
            viewer = Viewer(evaluator)
            with self.at(0.36 + 0.03 * self.rng.random()):
                for paper in papers:
                    # Not on the artifacts they are conflicted with (they do not see them).
                    allowed = viewer.has_perm("artifacts.bid_on_artifact", self.artifact(paper))
                    if allowed and self.rng.random() < 0.8:
                        assignment_services.place_bid(
                            self.artifact(paper),
                            actor=evaluator,
                            preference=self.rng.choices(choices, weights=[3, 4, 1])[0],
                        )
        with self.at(0.41):
            proposal = solving.propose(self.conference, actor=self.ae_chair)
            solving.commit(
                self.conference,
                actor=self.ae_chair,
                pairs=proposal.pair_keys(),
                digest=proposal.digest,
            )
        with self.at(0.415):
            self.fill_by_hand(papers)
        with self.at(0.42):
            assignment_services.start_kick_the_tires(
                [self.artifact(p) for p in papers], actor=self.ae_chair
            )

    def fill_by_hand(self, papers: list[Submission]) -> None:
        """Places the solver could not fill (conflicts, hardware, loads): the chair adds
        evaluators by hand, the least loaded first (misfits refused, never overridden)."""
        need = AE_SETTINGS["evaluators_per_artifact"]
        for paper in papers:
            artifact = self.artifact(paper)
            for evaluator in sorted(
                self.evaluators,
                key=lambda u: EvaluatorAssignment.objects.live().filter(evaluator=u).count(),
            ):
                if artifact.assignments.live().count() >= need:
                    break
                if artifact.assignments.filter(evaluator=evaluator).exists():
                    continue
                try:
                    assignment_services.add_evaluator(artifact, evaluator, actor=self.ae_chair)
                except (ValidationError, PermissionDenied):
                    continue

    def live(self, artifact: Artifact) -> list[User]:
        return [a.evaluator for a in artifact.assignments.live().select_related("evaluator")]

    def kick_the_tires(self) -> None:
        keys = [key for key, _ in KICK_THE_TIRES_ITEMS]
        for paper in self.papers(S.KICK_THE_TIRES):
            artifact = self.artifact(paper)
            if artifact.status != S.KICK_THE_TIRES:
                continue  # not started (no evaluators)
            evaluators = self.live(artifact)
            fate = self.story[paper]
            for i, evaluator in enumerate(evaluators):
                if fate == S.KICK_THE_TIRES and i > 0:
                    break  # the others have not started yet
                ticked = keys if i else keys[:3]
                with self.at(0.45 + 0.04 * self.rng.random()):
                    evaluation.save_kick_check(
                        actor=evaluator,
                        artifact=artifact,
                        answers={key: key in ticked for key in keys},
                        notes=(
                            "The image builds and the smoke test passes."
                            if i
                            else "docker compose fails: the image pins CUDA 11.8, our driver "
                            "needs 12.x. The minimal run did not start."
                        ),
                        done=fate != S.KICK_THE_TIRES,
                    )
            if not _reached(fate, S.AWAITING_AUTHOR):
                continue
            with self.at(0.5):
                evaluation.post_kick_message(
                    actor=evaluators[0],
                    artifact=artifact,
                    body=(
                        "Thank you for the artifact. Evaluator A could not start the minimal run: "
                        "the image pins CUDA 11.8 and needs a 12.x base image. Evaluator B got "
                        "the smoke test to pass. Could you publish an image for CUDA 12 and say "
                        "which results Figure 4 should show?"
                    ),
                )
            if fate == S.AWAITING_AUTHOR:
                continue
            with self.at(0.54):
                evaluation.answer_kick_message(
                    actor=_contact(paper),
                    artifact=self.artifact(paper),
                    body=(
                        "Thanks! We pushed a CUDA 12.4 image (tag mlsys27-ae-cu124) and added the "
                        "expected numbers of Figure 4 to EXPECTED.md. Please look again."
                    ),
                )
            with self.at(0.58):
                deciding.advance(actor=self.ae_chair, artifact=self.artifact(paper))

    def verdicts(self, artifact: Artifact, *, complete: bool, sceptic: bool) -> dict:
        out = {}
        for requested in artifact.requested_badges.select_related("badge"):
            key = requested.badge.key
            if sceptic and key in ("reproduced", "reusable"):
                out[requested.badge_id] = evaluation.VerdictInput(
                    Verdict.DO_NOT_AWARD,
                    "Table 2 came out 12% below the paper's numbers on our A100s; the gap is "
                    "not explained in the README.",
                )
            elif complete or key == "available":
                out[requested.badge_id] = evaluation.VerdictInput(
                    Verdict.AWARD,
                    f"The checklist of “{requested.badge.label}” is met: everything we ran "
                    "matched the documentation.",
                )
        return out

    def evaluate(self) -> None:
        for paper in self.papers(S.EVALUATING):
            artifact = self.artifact(paper)
            if artifact.status != S.EVALUATING:
                continue
            fate = self.story[paper]
            evaluators = self.live(artifact)
            with self.at(0.6):
                evaluation.post_message(
                    actor=evaluators[-1],
                    artifact=artifact,
                    thread=Thread.AUTHORS,
                    body="Which seed did you use for Figure 4? We see a slightly wider spread.",
                )
            with self.at(0.62):
                evaluation.post_message(
                    actor=_contact(paper),
                    artifact=artifact,
                    thread=Thread.AUTHORS,
                    body="Seed 17 for every run; scripts/fig4.sh sets it. The spread is ±3%.",
                )
            for i, evaluator in enumerate(evaluators):
                final = fate != S.EVALUATING or i == 0
                with self.at(0.64 + 0.1 * self.rng.random()):
                    evaluation.save_evaluation(
                        actor=evaluator,
                        artifact=self.artifact(paper),
                        to_authors=(
                            "A well-packaged artifact: the container started at once and the "
                            "scripts rebuilt Figure 4 and Table 2."
                        ),
                        to_evaluators="I ran everything twice; numbers within 3% of the paper.",
                        verdicts=self.verdicts(
                            artifact, complete=final, sceptic=i == 1 and paper.number % 2 == 0
                        ),
                        submit=final,
                    )

    def discuss_and_decide(self) -> None:
        for paper in self.papers(S.DISCUSSION):
            artifact = self.artifact(paper)
            if artifact.status != S.DISCUSSION:
                continue
            fate = self.story[paper]
            evaluators = self.live(artifact)
            lead = evaluators[0]
            with self.at(0.76):
                deciding.set_lead(actor=self.ae_chair, artifact=artifact, evaluator=lead)
                evaluation.post_message(
                    actor=lead,
                    artifact=artifact,
                    thread=Thread.EVALUATORS,
                    body=(
                        "Our verdicts differ on the results badge. I think the 12% gap is the "
                        "GPU generation, not the artifact; shall we propose it anyway?"
                    ),
                )
            if len(evaluators) > 1:
                with self.at(0.78):
                    evaluation.post_message(
                        actor=evaluators[1],
                        artifact=artifact,
                        thread=Thread.EVALUATORS,
                        body="Fine with me if the authors note the hardware in the README.",
                    )
            requested = list(artifact.requested_badges.select_related("badge"))
            with self.at(0.8):
                deciding.propose(
                    actor=lead,
                    artifact=self.artifact(paper),
                    proposals={rb.badge_id: Verdict.AWARD for rb in requested},
                    note="Both evaluators ran every experiment; award everything requested.",
                )
            if not _reached(fate, S.DECIDED):
                continue
            artifact = self.artifact(paper)
            with self.at(0.85):
                deciding.decide(
                    actor=self.ae_chair,
                    artifact=artifact,
                    outcomes={rb.badge_id: BadgeOutcome.AWARDED for rb in requested},
                    public_report=deciding.report_draft(artifact),
                )
            if fate == S.PUBLISHED:
                with self.at(0.9):
                    deciding.publish(actor=self.ae_chair, artifact=self.artifact(paper))

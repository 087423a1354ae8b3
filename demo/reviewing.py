"""The committee's part of the demo year, played through the reviews app's own services.

After the papers are in, the demo clock (clock.py) moves the way a real year moves it, each
step at its moment between the conference's deadlines (schedule.Year):

1. PC members fill in their profiles (topic interests, their own papers as expertise);
2. the submission deadline passes and bidding opens; the chair computes affinities (the same
   service and backend the chairs' "Compute affinities" button runs); most members bid;
3. bidding closes and reviewing starts; the chair solves an assignment for every track
   (k reviewers, at least one ML and one Systems reviewer), commits it and releases it;
   reviewers write (writing.py): some reviews are submitted, some in progress, and where the
   ML and Systems reviewers of a paper disagree they discuss it;
4. reviews are due and the author response opens: nearly every review is in, a third of the
   authors respond, and a skeptical reviewer raises their score after reading a response.

The deadlines are fixed from the start so that "now" is in the requested phase, and the year
is played only up to it (see ``schedule.py``): a demo in its bidding phase has bids and
affinities but no assignment. Every step is a service call, so the audit log, the
bidding page, the assignment pages and "My papers" show what they would after a real year.
Releasing queues the usual emails to the outbox.
"""

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from demo import clock, deciding, evaluating, schedule, writing
from demo.committee import Profile, make_profiles
from demo.plan import Plan
from mlsys.accounts.models import User
from mlsys.conferences import enums
from mlsys.conferences.models import CommitteeMembership, Conference
from mlsys.conferences.services import set_deadlines
from reviews.affinity import services as affinity_services
from reviews.assignment.problem_builder import Weights
from reviews.assignment.services import (
    commit_proposal,
    create_proposal,
    release_assignments,
    run_solve,
)
from reviews.bidding.services import place_bid
from reviews.enums import BidValue, InterestLevel, ProposalStatus, ReviewState
from reviews.models import (
    Affinity,
    Assignment,
    AssignmentProposal,
    AuthorResponse,
    Bid,
    Comment,
    Expertise,
    Review,
)
from reviews.profile.services import add_expertise, set_topic_interests
from reviews.rules import conflicted_submission_ids
from submissions import enums as sub_enums
from submissions.models import Submission
from submissions.services import release_to_reviewers

#: Share of the PC that has bid (the members printed at the end always have).
BIDDING_SHARE = 0.8
#: The chairs' default solve: the weights the assignment page starts with.
SOLVE_PARAMS = {
    "w_affinity": Weights.affinity,
    "w_bid": Weights.bid,
    "w_topic": Weights.topic,
    "expertise_threshold": None,
    "quality_threshold": 0.0,
}


class DemoError(Exception):
    """A step of the demo year failed; the message says which and why."""


@dataclass
class Member:
    user: User
    side: str
    profile: Profile


@dataclass
class Outcome:
    """What the committee's part produced, read back from the database."""

    phase: str
    profiles: int = 0
    bids: Counter = field(default_factory=Counter)
    bidders: int = 0
    affinities: int = 0
    papers: int = 0
    assignments: int = 0
    released: int = 0
    #: Numbers of active papers without k reviewers, an ML and a Systems one.
    uncovered: list[int] = field(default_factory=list)
    #: Why the latest solve was not committed (the solver's explanation), if it was not.
    problem: str = ""
    reviews: Counter = field(default_factory=Counter)  # by state
    #: Papers whose submitted ML and Systems reviews differ by 2+ points of overall merit.
    split_papers: int = 0
    comments: int = 0
    responses: Counter = field(default_factory=Counter)  # by state


def play(
    conference: Conference,
    plan: Plan,
    *,
    phase: str,
    now: datetime,
    progress: Callable[[str], None] | None = None,
) -> Outcome:
    """Profiles, then (from bidding on) affinities and bids, then (from reviewing on) the
    assignment, reviews and discussion, then (response) author responses. The conference gets
    the deadlines that put it in ``phase`` at ``now``, and each step runs on the demo clock at
    its moment of the year (schedule.Year). ``progress`` is told what each step did. Raises
    DemoError if affinities fail; an infeasible assignment is left as a proposal for the chair
    to inspect (and nothing is reviewed)."""
    if phase not in schedule.PHASES:
        raise DemoError(f"Unknown phase {phase!r}; choose one of {', '.join(schedule.PHASES)}.")
    report = progress or (lambda message: None)
    year = schedule.Year(phase, now)
    reached = schedule.PHASES.index(phase)
    # The same deadlines the conference was created with: no change, no audit row.
    with clock.at(year.opened):
        set_deadlines(conference=conference, schedule=year.deadlines, actor=None)
    conference = Conference.objects.get(pk=conference.pk)
    chair = User.objects.get(email=plan.chair.email)
    members = _members(conference, plan)
    rng = random.Random(f"mlsys-demo-committee-times-{plan.seed}")
    _profiles(conference, members, year, rng)
    report(f"{len(members)} PC members filled in their topics and expertise.")
    if reached >= schedule.PHASES.index(schedule.BIDDING):
        with clock.at(year.affinities):
            _affinities(conference, chair)
        _bids(conference, plan, members, year)
        outcome = describe(conference)
        report(
            f"Affinities computed ({outcome.affinities} scores); {sum(outcome.bids.values())} "
            f"bids from {outcome.bidders} PC members."
        )
    if reached >= schedule.PHASES.index(schedule.REVIEWING):
        if _assign(conference, chair, year):
            report("Assignment solved, committed and released.")
            stories = writing.write_reviews(conference, plan, stage=phase, year=year)
            writing.write_discussion(conference, stories, year=year)
            outcome = describe(conference)
            report(
                f"{outcome.reviews['submitted']} reviews submitted, "
                f"{outcome.reviews['draft']} in progress; {outcome.comments} discussion comments."
            )
            if reached >= schedule.PHASES.index(schedule.RESPONSE):
                writing.write_responses(conference, plan, stories, year=year)
                outcome = describe(conference)
                report(
                    f"{outcome.responses['submitted']} author responses submitted, "
                    f"{outcome.responses['draft']} drafted."
                )
            if reached >= schedule.PHASES.index(schedule.DECISIONS):
                done = deciding.decide(conference, plan, year=year)
                report(
                    f"Discussion leads assigned; {done['meta_submitted']} meta-reviews "
                    f"submitted; {done['decided']} pending decisions recorded."
                )
            if phase == schedule.ARTIFACTS:
                counts = evaluating.play(conference, plan, year=year)
                report(
                    f"Decisions released ({counts['accepted']} papers accepted); "
                    f"{counts['camera_ready']} camera-readies; {counts['evaluators']} AE "
                    f"evaluators; artifacts: "
                    + ", ".join(f"{counts.get(s, 0)} {s}" for s in evaluating.ORDER)
                    + f"; {counts['without_artifact']} accepted papers without one."
                )
        else:
            report("The assignment could not be solved; it is left for the chair to read.")
    return describe(conference)


def _members(conference: Conference, plan: Plan) -> list[Member]:
    profiles = make_profiles(plan)
    users = {
        m.user.email: m.user
        for m in CommitteeMembership.objects.filter(
            conference=conference, role=enums.Role.PC_MEMBER
        ).select_related("user")
    }
    return [
        Member(users[person.email], side, profiles[person.email])
        for person, side in plan.pc
        if person.email in users
    ]


def _profiles(
    conference: Conference, members: list[Member], year: schedule.Year, rng: random.Random
) -> None:
    """Each member fills in their profile at some moment while papers come in."""
    topic_ids = dict(conference.topics.values_list("name", "pk"))
    for member in members:
        levels = {
            pk: member.profile.levels.get(name, InterestLevel.NONE)
            for name, pk in topic_ids.items()
        }
        with clock.at(year.fraction(*year.profiles, rng.random())):
            set_topic_interests(user=member.user, conference=conference, levels=levels)
            add_expertise(user=member.user, conference=conference, papers=member.profile.expertise)


def _affinities(conference: Conference, chair: User) -> None:
    run = affinity_services.start_run(conference, actor=chair)
    # Without a broker the task already ran on commit; inside an outer transaction (tests) it
    # did not. Either way this returns the finished run: a finished run is left unchanged.
    run = affinity_services.compute_affinities(run)
    if run.status != ProposalStatus.READY:
        raise DemoError(f"Computing affinities failed: {run.message}")


# --- Bids --------------------------------------------------------------------------------


class _Room:
    """Who may still be assigned to each paper, so that "not willing" and "conflict" bids never
    leave a paper without enough reviewers of each side."""

    def __init__(self, papers: list[Submission], members: list[Member], conference: Conference):
        self.sides = {m.user.pk: m.side for m in members}
        conflicted = {m.user.pk: conflicted_submission_ids(m.user, conference) for m in members}
        self.allowed = {
            paper.pk: {m.user.pk for m in members if paper.pk not in conflicted[m.user.pk]}
            for paper in papers
        }
        self.tracks = {paper.pk: paper.track for paper in papers}

    def can_refuse(self, paper_id: int, user_id: int) -> bool:
        left = self.allowed[paper_id] - {user_id}
        track = self.tracks[paper_id]
        per_side = Counter(self.sides[uid] for uid in left)
        return (
            len(left) >= track.reviewers_per_paper + 2
            and per_side["ML"] + per_side["BOTH"] > track.min_ml_reviewers
            and per_side["SYSTEMS"] + per_side["BOTH"] > track.min_systems_reviewers
        )

    def refuse(self, paper_id: int, user_id: int) -> None:
        self.allowed[paper_id].discard(user_id)


def _bids(conference: Conference, plan: Plan, members: list[Member], year: schedule.Year) -> None:
    """About 80% of the PC bid: eager on the papers closest to their topics, willing on the
    next ones, not willing on a few far from them, and a few "conflict" bids.

    Bids follow topic interests (not affinities), so they are the same whether or not the PDFs'
    text was extracted. The first member of each side by name (the accounts printed at the end)
    always bids. Each member bids in one sitting, a minute per bid, while bidding is open.
    """
    rng = random.Random(f"mlsys-demo-bids-{plan.seed}")
    when = random.Random(f"mlsys-demo-bid-times-{plan.seed}")
    papers = list(
        # Through the conference's manager: one schedule for every permission check.
        conference.submissions.filter(status=sub_enums.Status.SUBMITTED)
        .select_related("track")
        .prefetch_related("topics")
        .order_by("number")
    )
    topics = {paper.pk: [t.name for t in paper.topics.all()] for paper in papers}
    room = _Room(papers, members, conference)
    bidders = _bidders(rng, members)
    conflict_bids = max(1, len(members) // 8)
    for member in members:
        if member not in bidders:
            continue
        user = member.user
        # A little noise: two members with the same topics don't bid identically.
        appeal = {
            p.pk: member.profile.match(topics[p.pk]) + rng.uniform(0, 0.15)
            for p in papers
            if user.pk in room.allowed[p.pk]
        }
        ranked = sorted((p for p in papers if p.pk in appeal), key=lambda p: -appeal[p.pk])
        if not ranked:
            continue
        eager, willing = rng.randint(3, 5), rng.randint(5, 9)
        wanted: list[tuple[Submission, str]] = []
        for paper in ranked[:eager]:
            eager_ok = member.profile.match(topics[paper.pk]) > 0
            value = BidValue.EAGER if eager_ok else BidValue.WILLING
            wanted.append((paper, value))
        wanted += [(p, BidValue.WILLING) for p in ranked[eager : eager + willing]]
        middle = ranked[eager + willing : -4]
        wanted += [(p, BidValue.NEUTRAL) for p in rng.sample(middle, min(len(middle), 2))]
        for paper in ranked[-rng.randint(1, 3) :]:
            if paper not in [p for p, _ in wanted] and room.can_refuse(paper.pk, user.pk):
                room.refuse(paper.pk, user.pk)
                wanted.append((paper, BidValue.NOT_WILLING))
        if conflict_bids and middle and rng.random() < 0.5:
            paper = rng.choice(middle)
            if paper not in [p for p, _ in wanted] and room.can_refuse(paper.pk, user.pk):
                room.refuse(paper.pk, user.pk)
                wanted.append((paper, BidValue.CONFLICT))
                conflict_bids -= 1
        sitting = year.fraction(*year.bidding, when.uniform(0, 0.9))
        for k, (paper, value) in enumerate(sorted(wanted, key=lambda pv: pv[0].number)):
            with clock.at(sitting + timedelta(minutes=k)):
                place_bid(user=user, submission=paper, value=value)


def _bidders(rng: random.Random, members: list[Member]) -> list[Member]:
    shown = {
        min(
            (m for m in members if m.side == side), key=lambda m: (m.user.name, m.user.email)
        ).user.pk
        for side in {m.side for m in members}
    }
    others = [m for m in members if m.user.pk not in shown]
    count = max(0, round(BIDDING_SHARE * len(members)) - len(shown))
    chosen = {m.user.pk for m in rng.sample(others, min(count, len(others)))} | shown
    return [m for m in members if m.user.pk in chosen]


# --- Assignment --------------------------------------------------------------------------


def _assign(conference: Conference, chair: User, year: schedule.Year) -> bool:
    """Solve every track, commit and release; returns whether it did. A proposal that is not
    ready (infeasible with a very small PC) is left for the chair to read; ``describe`` reports
    its message."""
    with clock.at(year.assignment):
        proposal = create_proposal(conference, actor=chair, track=None, params=SOLVE_PARAMS)
        proposal = AssignmentProposal.objects.get(pk=proposal.pk)
        run_solve(proposal)  # a no-op when the eager task already solved it on commit
        proposal = AssignmentProposal.objects.get(pk=proposal.pk)
    if proposal.status != ProposalStatus.READY:
        return False
    with clock.at(year.fraction(year.assignment, year.released, 0.5)):
        commit_proposal(proposal, actor=chair)
    with clock.at(year.released):
        release_assignments(conference, actor=chair)
        _release_papers_naming_authors(conference, chair)
    return True


def _release_papers_naming_authors(conference: Conference, chair: User) -> None:
    """The demo's planted anonymity failure (#9 of the default demo) is withheld from reviewers
    until a chair decides; here the chair sends it to its reviewers with the assignments
    (audited), so its reviews have a PDF behind them. Before assignment it stays withheld."""
    papers = Submission.objects.active().filter(
        conference=conference,
        reviewer_paper__isnull=True,
        current_paper__anonymity_failed=True,
    )
    for paper in papers.select_related("current_paper", "conference"):
        if chair.has_perm("submissions.release_for_reviewers", paper):
            release_to_reviewers(file=paper.current_paper, actor=chair)


# --- Reading it back ---------------------------------------------------------------------


def describe(conference: Conference) -> Outcome:
    """Counts of the committee's part of ``conference`` and the papers short of coverage."""
    outcome = Outcome(phase=conference.current_phase)
    outcome.profiles = (
        Expertise.objects.used_at(conference)
        .filter(user_id__in=conference.memberships.values("user_id"))
        .values("user")
        .distinct()
        .count()
    )
    values = Bid.objects.filter(submission__conference=conference).values_list("user", "value")
    outcome.bids = Counter(value for _, value in values)
    outcome.bidders = len({user for user, _ in values})
    outcome.affinities = Affinity.objects.filter(conference=conference).count()
    sides = dict(
        CommitteeMembership.objects.filter(
            conference=conference, role=enums.Role.PC_MEMBER
        ).values_list("user", "side")
    )
    on_paper: dict[int, list[str]] = defaultdict(list)
    for submission_id, reviewer_id, released in (
        Assignment.objects.current()
        .filter(conference=conference)
        .values_list("submission", "reviewer", "released")
    ):
        on_paper[submission_id].append(sides.get(reviewer_id, ""))
        outcome.assignments += 1
        outcome.released += released
    papers = Submission.objects.filter(
        conference=conference, status__in=sub_enums.ACTIVE
    ).select_related("track")
    for paper in papers.order_by("number"):
        outcome.papers += 1
        got = Counter(on_paper.get(paper.pk, []))
        track = paper.track
        if (
            sum(got.values()) < track.reviewers_per_paper
            or got["ML"] + got["BOTH"] < track.min_ml_reviewers
            or got["SYSTEMS"] + got["BOTH"] < track.min_systems_reviewers
        ):
            outcome.uncovered.append(paper.number)
    _describe_reviews(conference, outcome, sides)
    latest = AssignmentProposal.objects.filter(conference=conference).order_by("-pk").first()
    if latest is not None and latest.status != ProposalStatus.COMMITTED:
        outcome.problem = latest.message or latest.get_status_display()
    return outcome


def _describe_reviews(conference: Conference, outcome: Outcome, sides: dict[int, str]) -> None:
    merits: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for paper_id, reviewer_id, state, answers in Review.objects.filter(
        submission__conference=conference
    ).values_list("submission_id", "reviewer_id", "state", "answers"):
        outcome.reviews[state] += 1
        if state == ReviewState.SUBMITTED and "overall_merit" in answers:
            merits[paper_id][sides.get(reviewer_id, "")].append(answers["overall_merit"])
    outcome.split_papers = sum(
        1
        for by_side in merits.values()
        if by_side["ML"]
        and by_side["SYSTEMS"]
        and (
            abs(max(by_side["ML"]) - min(by_side["SYSTEMS"])) >= 2
            or abs(max(by_side["SYSTEMS"]) - min(by_side["ML"])) >= 2
        )
    )
    outcome.comments = Comment.objects.filter(submission__conference=conference).count()
    outcome.responses = Counter(
        AuthorResponse.objects.filter(submission__conference=conference).values_list(
            "state", flat=True
        )
    )

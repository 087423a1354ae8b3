"""What the demo's PC members say about themselves: topic interest levels and the titles and
abstracts of their own papers (the expertise affinity is computed from).

Pure Python (no database): the same plan always yields the same profiles. A separate random
stream (seeded from the plan's seed) is used, so the people and papers of ``plan.py`` do not
change when profiles do.
"""

import random
from dataclasses import dataclass, field

from demo import data
from demo.plan import Plan
from reviews.enums import InterestLevel

ML, SYSTEMS = "ML", "SYSTEMS"

#: Interest levels of a member's own-area topics (best first) and other-area topics.
OWN_LEVELS = [
    InterestLevel.EXPERT,
    InterestLevel.EXPERT,
    InterestLevel.HIGH,
    InterestLevel.SOME,
    InterestLevel.SOME,
]
OTHER_LEVELS = [InterestLevel.HIGH, InterestLevel.SOME]

EXPERTISE_TITLES = [
    "{G} {ml} via {sys}",
    "Rethinking {sys} for {ml}",
    "Towards {A} {ml} at Scale",
    "An Empirical Study of {ml} on {P}",
    "{A} {sys} for {ml}",
    "What Limits {ml}? A Measurement Study of {sys}",
    "Co-Designing {ml} and {sys}",
]


@dataclass
class Profile:
    email: str
    side: str
    #: Topic name -> InterestLevel, for the topics the member named (every other topic: NONE).
    levels: dict[str, int] = field(default_factory=dict)
    #: The member's own papers: dicts with title, abstract and year.
    expertise: list[dict] = field(default_factory=list)

    def match(self, topics: list[str]) -> float:
        """Mean interest (0–1) over a paper's topics: how much the member wants to read it."""
        if not topics:
            return 0.0
        return sum(self.levels.get(t, 0) for t in topics) / (len(topics) * InterestLevel.EXPERT)


def make_profiles(plan: Plan) -> dict[str, Profile]:
    """A profile per PC member of ``plan`` (by email).

    Each member is expert in two topics of their own area, knows three more, and has some
    interest in two topics of the other area (an MLSys committee reads across the divide). The
    members' expert topics walk through a shuffled list of their area's topics, so with ten or
    more members per side every topic has an expert. Each member has 2–4 papers of their own
    built from their strongest topics.
    """
    rng = random.Random(f"mlsys-demo-committee-{plan.seed}")
    topics = {ML: data.ML_TOPICS, SYSTEMS: data.SYSTEMS_TOPICS}
    rotation = {side: rng.sample(items, len(items)) for side, items in topics.items()}
    counters = {ML: 0, SYSTEMS: 0}
    profiles = {}
    for person, side in plan.pc:
        other = SYSTEMS if side == ML else ML
        walk = rotation[side]
        experts = [walk[(counters[side] + i) % len(walk)] for i in (0, 1)]
        counters[side] += 2
        rest = rng.sample([t for t in topics[side] if t not in experts], len(OWN_LEVELS) - 2)
        own = [*experts, *rest]
        across = rng.sample(topics[other], len(OTHER_LEVELS))
        profile = Profile(email=person.email, side=side)
        pairs = [*zip(own, OWN_LEVELS, strict=True), *zip(across, OTHER_LEVELS, strict=True)]
        for (name, _), level in pairs:
            profile.levels[name] = int(level)
        strong = own[:3]
        for _ in range(rng.randint(2, 4)):
            mine = rng.choice(strong)[1]
            theirs = rng.choice(across + own[3:])[1]
            ml, sys = (mine, theirs) if side == ML else (theirs, mine)
            profile.expertise.append(_expertise_paper(rng, ml, sys))
        profiles[person.email] = profile
    return profiles


def _expertise_paper(rng: random.Random, ml: str, sys: str) -> dict:
    title = data._title_case(
        rng.choice(EXPERTISE_TITLES).format(
            G=rng.choice(data.GERUNDS),
            A=rng.choice(data.ADJECTIVES),
            P=rng.choice(data.PLATFORMS),
            ml=ml,
            sys=sys,
        )
    )
    n = data._numbers(rng)
    sentences = [
        rng.choice(
            [
                f"Running {ml} in production is increasingly limited by {n['m1']}.",
                f"We study {ml} on {rng.choice(data.PLATFORMS).lower()}.",
                f"For {ml}, {n['m1']} rather than arithmetic now dominates the cost.",
            ]
        ),
        rng.choice(
            [
                f"We characterize {n['work']} and find that {n['pct']}% of the time goes to "
                f"{n['m2']}.",
                f"We show that {sys} recovers most of the lost {n['m1']} when it is tuned to "
                "the workload.",
                f"Existing designs such as {n['base']} ignore how {sys} interacts with the model.",
            ]
        ),
        f"Our approach combines {sys} with {ml}-specific scheduling and improves {n['m1']} "
        f"by {n['x']}× over {n['base']} on up to {n['gpus']} GPUs.",
        rng.choice(
            [
                "We release our traces and code.",
                "The techniques are now used in two open-source frameworks.",
                f"We also report negative results for {n['m2']}.",
            ]
        ),
    ]
    return {"title": title, "abstract": " ".join(sentences), "year": rng.randint(2019, 2026)}

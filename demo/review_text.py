"""Review answers, discussion comments and author responses for the demo, as plain data.

Pure Python (no database). Each paper gets a *story*: reviewers agree it is good, agree it is
weak, or split along the ML/Systems divide (one side finds the ML contribution thin, the other
admires the system, or the reverse). Answers fit the default MLSys review form
(reviews.review_forms.defaults) and their text is Markdown, with a little LaTeX math.
"""

import random

from demo import data

GOOD, WEAK, ML_SKEPTIC, SYSTEMS_SKEPTIC = "good", "weak", "ml_skeptic", "systems_skeptic"
STORIES = [GOOD, WEAK, ML_SKEPTIC, SYSTEMS_SKEPTIC]
#: About four papers in ten split the committee along the ML/Systems divide.
STORY_WEIGHTS = [3, 3, 2, 2]

_PRAISE = {
    "ML": [
        "The accuracy evaluation is careful: final model quality is reported for every "
        "configuration, with and without the optimization.",
        "The technique is not tied to one architecture; the appendix shows it on CNNs and "
        "transformers alike.",
        "The ablation isolates the learning-side change from the runtime change, which makes the "
        "ML claim credible.",
    ],
    "SYSTEMS": [
        "The implementation is substantial and the evaluation runs at a realistic scale (up to "
        "{gpus} GPUs).",
        "The latency breakdown attributes the speedup to individual design decisions.",
        "The design handles bursty load gracefully; the tail-latency plots are convincing.",
    ],
}
_CRITICISM = {
    "ML": [
        "The ML side is thin: model quality is shown on a single benchmark, so it is unclear that "
        "accuracy is preserved in general.",
        "Recent algorithmic alternatives (distillation, low-rank adaptation) that target the same "
        "cost are not compared against.",
        "The convergence argument is informal; with step size $\\eta$ and staleness $\\tau$ I "
        "would expect an error term of order $O(\\eta\\tau)$, which the paper never discusses.",
    ],
    "SYSTEMS": [
        "The baseline is weak: {base} is not tuned for this workload, so the {x}× figure "
        "overstates the gain.",
        "The evaluation stops at one node; how the design behaves under network contention is "
        "left open.",
        "The overheads of profiling and re-planning are not reported; if planning costs "
        "$O(n^2)$ in the number of operators, large models may not benefit.",
    ],
}
_QUESTIONS = {
    "ML": [
        "Does accuracy hold on a second task, e.g. a long-context benchmark?",
        "How sensitive are the results to the hyper-parameters of the optimizer?",
    ],
    "SYSTEMS": [
        "What is the speedup against a tuned baseline (same batch size, same kernels)?",
        "How does {system} behave when two tenants share a GPU?",
    ],
}


def story(rng: random.Random) -> str:
    return rng.choices(STORIES, weights=STORY_WEIGHTS)[0]


def _system(title: str) -> str:
    return title.split(":", 1)[0] if ":" in title else "the proposed system"


def _positive(story_name: str, side: str) -> bool:
    if story_name in (GOOD, WEAK):
        return story_name == GOOD
    skeptic = "ML" if story_name == ML_SKEPTIC else "SYSTEMS"
    return side != skeptic


def review_answers(rng: random.Random, *, title: str, story_name: str, side: str) -> dict:
    """A complete set of answers for a reviewer on ``side`` ("ML" or "SYSTEMS")."""
    positive = _positive(story_name, side)
    other = "SYSTEMS" if side == "ML" else "ML"
    n = {**data._numbers(rng), "system": _system(title)}
    praise = rng.sample(_PRAISE[side], 2) + rng.sample(_PRAISE[other], 1)
    criticism = rng.sample(_CRITICISM[side], 2 if not positive else 1)
    if not positive:
        praise = praise[:1]
    merit = rng.choice([4, 5, 5, 6]) if positive else rng.choice([2, 3, 3])
    own, theirs = (
        (rng.randint(3, 4), rng.randint(2, 4))
        if positive
        else (rng.randint(1, 2), rng.randint(2, 3))
    )
    ml_score, systems_score = (own, theirs) if side == "ML" else (theirs, own)
    summary = (
        f"The paper presents **{n['system']}** ({title}). It targets {n['work']} and reports "
        f"that {n['system']} improves {n['m1']} by {n['x']}× over {n['base']}, evaluated on up "
        f"to {n['gpus']} GPUs."
    )
    verdict = (
        "I lean towards acceptance: the problem matters and the evidence is mostly solid."
        if positive
        else "In its current form the paper does not make its case; see the weaknesses below."
    )
    return {
        "summary": f"{summary}\n\n{verdict}",
        "strengths": "\n".join(f"- {s.format(**n)}" for s in praise),
        "weaknesses": "\n".join(f"- {s.format(**n)}" for s in criticism),
        "ml_contribution": ml_score,
        "systems_contribution": systems_score,
        "reproducibility": rng.randint(2, 4),
        "overall_merit": merit,
        "confidence": rng.randint(2, 4),
        "questions_for_authors": "\n".join(
            f"{i}. {q.format(**n)}" for i, q in enumerate(rng.sample(_QUESTIONS[side], 2), 1)
        ),
        "comments_for_pc": (
            "Happy to be convinced otherwise in the discussion."
            if positive
            else f"From the {_label(side)} side I see little that is new; I would like to hear "
            "the other reviewers."
        ),
    }


def draft_answers(rng: random.Random, *, title: str, story_name: str, side: str) -> dict:
    """A review in progress: the summary and strengths written, the rest still empty."""
    full = review_answers(rng, title=title, story_name=story_name, side=side)
    draft = {"summary": full["summary"], "strengths": full["strengths"]}
    if rng.random() < 0.5:
        draft["overall_merit"] = full["overall_merit"]
    return draft


def discussion(story_name: str, *, low_side: str) -> list[tuple[str, str]]:
    """(side of the commenter, Markdown body) for a paper whose reviewers split."""
    high_side = "SYSTEMS" if low_side == "ML" else "ML"
    low, high = _label(low_side), _label(high_side)
    return [
        (
            low_side,
            f"Our scores are far apart. From the {low} side, my concern is that the paper's "
            f"central claim rests on one benchmark. Would the {high} reviewers accept it if the "
            "authors added a second workload in the camera-ready?",
        ),
        (
            high_side,
            f"Fair point. From the {high} side the contribution is the design itself, which I "
            "have not seen before. I'd still like the authors to answer your question in the "
            "response before we decide.",
        ),
    ]


def _label(side: str) -> str:
    return "ML" if side == "ML" else "Systems"


def response_text(rng: random.Random, *, title: str) -> str:
    """An author response (well under the default word limit)."""
    n = {**data._numbers(rng), "system": _system(title)}
    return (
        "We thank the reviewers for their careful reading.\n\n"
        f"**Baselines.** We re-ran every experiment against a tuned {n['base']} (same batch "
        f"size, same kernels). {n['system']} is still {n['x']}× faster on {n['work']}; we "
        "will add the table to the paper.\n\n"
        "**Model quality.** We added a second task. Accuracy stays within 0.2 points of the "
        "baseline, i.e. $|\\Delta_{acc}| \\le 0.2$, across five seeds.\n\n"
        "**Overheads.** Planning is linear in the number of operators and takes under "
        f"{rng.randint(20, 90)} ms for the largest model; we will report it."
    )


def meta_summary(rng: random.Random, *, title: str, merit: float) -> str:
    """A lead's meta-review summary for the authors, in keeping with the reviews' merit."""
    system = _system(title)
    if merit >= 4.2:
        verdict = rng.choice(
            [
                f"The reviewers agree that {system} is a solid contribution to both communities.",
                f"The committee found the evaluation of {system} convincing on both sides.",
            ]
        )
        advice = "Please address the clarifications requested in the reviews in the final version."
    elif merit >= 3.5:
        verdict = (
            f"The reviewers are split on {system}: the ML reviewers and the systems reviewers "
            "weigh its contribution differently."
        )
        advice = "The discussion focused on whether the evaluation supports the main claim."
    else:
        verdict = rng.choice(
            [
                f"The reviewers agree that {system} is not ready for publication yet.",
                f"The committee did not find the claims about {system} sufficiently supported.",
            ]
        )
        advice = "The reviews list the experiments that would make a future version stronger."
    return f"{verdict}\n\n{advice} The author response was read and discussed."

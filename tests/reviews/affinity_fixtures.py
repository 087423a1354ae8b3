"""Real paper texts and helpers shared by the affinity tests."""

import os

import pytest

from tests import factories


def require_embeddings(*, module: bool = False) -> None:
    """Skip where the optional embeddings extra is missing, but fail under
    MLSYS_REQUIRE_EMBEDDINGS=1 (CI), so its tests can't silently stop running there."""
    from reviews.affinity import embeddings

    missing = embeddings.missing_packages()
    if not missing:
        return
    if os.environ.get("MLSYS_REQUIRE_EMBEDDINGS") == "1":
        pytest.fail(
            f"MLSYS_REQUIRE_EMBEDDINGS=1 but {missing} cannot be imported: "
            'pip install -e ".[embeddings]"',
            pytrace=False,
        )
    pytest.skip(
        "the embeddings extra is not installed (make embeddings)", allow_module_level=module
    )


COMPILER_PAPER = (
    "TVM-style tensor compiler with learned autotuning",
    "We present an optimizing compiler for deep learning workloads that lowers tensor "
    "operators to loop nests, applies operator fusion and loop tiling on an intermediate "
    "representation, and uses a learned cost model to autotune code generation for GPUs and CPUs.",
)
RL_PAPER = (
    "Conservative offline reinforcement learning from logged interactions",
    "We study offline reinforcement learning, where an agent learns a policy from a fixed "
    "dataset of logged interactions. Our actor-critic method penalises the value function on "
    "out-of-distribution actions and improves rewards on continuous control benchmarks.",
)
COMPILER_EXPERTISE = [
    (
        "Polyhedral loop optimization in a production compiler",
        "Loop tiling, fusion and scheduling in the polyhedral model; code generation for "
        "tensor operators on GPUs from an intermediate representation.",
    ),
    (
        "Autotuning tensor programs with learned cost models",
        "A cost model trained on measured kernels guides the search over schedules for "
        "operator code generation in a deep learning compiler.",
    ),
]
RL_EXPERTISE = [
    (
        "Policy optimization with value function regularization",
        "An actor-critic reinforcement learning algorithm whose value function is regularized "
        "for stable policy learning from rewards in continuous control.",
    ),
]


def paper(conference, number, title_abstract, **kwargs):
    title, abstract = title_abstract
    return factories.SubmissionFactory(
        conference=conference, number=number, title=title, abstract=abstract, **kwargs
    )


def expertise(user, docs):
    for title, abstract in docs:
        factories.ExpertiseFactory(user=user, title=title, abstract=abstract)

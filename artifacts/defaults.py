"""The badge set a conference starts with (ACM's badges, as the sysartifacts guides describe
them); the AE chair renames, adds, retires or changes them. ``ensure_settings`` gives a
conference its settings and this set once."""

from __future__ import annotations

from django.db import transaction

from artifacts.models import AESettings, Badge

#: (key, label, colour, description, checklist, required artifact fields, requires)
DEFAULT_BADGES: tuple[
    tuple[str, str, str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...
] = (
    (
        "available",
        "Artifacts Available",
        "#b35900",
        "The artifact is permanently archived in a public repository with a DOI.",
        (
            "Archived with a DOI on Zenodo, FigShare or Software Heritage",
            "Published under a licence",
            "A README that cites the paper",
        ),
        ("doi", "licence", "repository_url", "version"),
        (),
    ),
    (
        "functional",
        "Artifacts Evaluated – Functional",
        "#c0392b",
        "The artifact is documented, consistent, complete and exercisable.",
        (
            "Documents the environment and the resources it needs",
            "Lists its dependencies",
            "Example inputs for each experiment",
        ),
        ("repository_url", "version", "packaging", "experiments"),
        (),
    ),
    (
        "reusable",
        "Artifacts Evaluated – Reusable",
        "#8e44ad",
        "Functional, and so well documented and structured that others can reuse it.",
        (
            "Everything Functional asks for",
            "Documentation beyond running the experiments: structure, extension points",
        ),
        ("repository_url", "version", "packaging", "experiments"),
        ("functional",),
    ),
    (
        "reproduced",
        "Results Reproduced",
        "#1f6fa8",
        "The paper's main results were obtained again with the authors' artifact.",
        (
            "A script for each experiment",
            "Scripts that rebuild the paper's figures and tables",
            "Expected human and compute time for each experiment",
        ),
        ("repository_url", "version", "packaging", "experiments"),
        ("functional",),
    ),
)


def ensure_settings(conference) -> AESettings:
    """The conference's AE settings, created with the default badge set the first time."""
    with transaction.atomic():
        settings, created = AESettings.objects.get_or_create(conference=conference)
        if created and not Badge.objects.filter(conference=conference).exists():
            create_default_badges(conference)
    return settings


def create_default_badges(conference) -> list[Badge]:
    made: dict[str, Badge] = {}
    for order, (key, label, colour, description, checklist, fields, _requires) in enumerate(
        DEFAULT_BADGES
    ):
        made[key] = Badge.objects.create(
            conference=conference,
            key=key,
            label=label,
            colour=colour,
            description=description,
            checklist=list(checklist),
            required_fields=list(fields),
            order=order,
        )
    for key, *_rest, requires in DEFAULT_BADGES:
        if requires:
            made[key].requires.set([made[r] for r in requires])
    return list(made.values())

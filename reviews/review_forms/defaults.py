"""The default MLSys review form and the lookup of the form a paper is reviewed with."""

from django.db import IntegrityError, transaction

from reviews.enums import FieldKind, FieldVisibility
from reviews.models import ReviewField, ReviewForm

CONTRIBUTION_SCALE = [
    {"value": 1, "label": "None"},
    {"value": 2, "label": "Minor"},
    {"value": 3, "label": "Solid"},
    {"value": 4, "label": "Significant"},
]

#: The default MLSys form, in order. Keys are stable: dashboards and exports read them.
DEFAULT_FIELDS: list[dict] = [
    {
        "key": "summary",
        "label": "Summary",
        "kind": FieldKind.TEXT,
        "help_text": "What the paper claims and how it supports the claims, in your own words.",
        "visibility": FieldVisibility.AUTHORS,
        "required": True,
    },
    {
        "key": "strengths",
        "label": "Strengths",
        "kind": FieldKind.TEXT,
        "help_text": "",
        "visibility": FieldVisibility.AUTHORS,
        "required": True,
    },
    {
        "key": "weaknesses",
        "label": "Weaknesses",
        "kind": FieldKind.TEXT,
        "help_text": "",
        "visibility": FieldVisibility.AUTHORS,
        "required": True,
    },
    {
        "key": "ml_contribution",
        "label": "ML contribution",
        "kind": FieldKind.SCORE,
        "scale": CONTRIBUTION_SCALE,
        "help_text": "The paper's contribution to machine learning.",
        "visibility": FieldVisibility.AUTHORS,
        "required": True,
    },
    {
        "key": "systems_contribution",
        "label": "Systems contribution",
        "kind": FieldKind.SCORE,
        "scale": CONTRIBUTION_SCALE,
        "help_text": "The paper's contribution to computer systems.",
        "visibility": FieldVisibility.AUTHORS,
        "required": True,
    },
    {
        "key": "reproducibility",
        "label": "Reproducibility",
        "kind": FieldKind.SCORE,
        "scale": [
            {"value": 1, "label": "Not reproducible"},
            {"value": 2, "label": "Hard to reproduce"},
            {"value": 3, "label": "Mostly reproducible"},
            {"value": 4, "label": "Fully reproducible"},
        ],
        "help_text": (
            "Judge against the paper's artifact and reproducibility checklist claims: are the "
            "code, data and setup the authors promise enough to reproduce the main results?"
        ),
        "visibility": FieldVisibility.AUTHORS,
        "required": True,
    },
    {
        "key": "overall_merit",
        "label": "Overall merit",
        "kind": FieldKind.SCORE,
        "scale": [
            {"value": 1, "label": "Strong reject"},
            {"value": 2, "label": "Reject"},
            {"value": 3, "label": "Weak reject"},
            {"value": 4, "label": "Weak accept"},
            {"value": 5, "label": "Accept"},
            {"value": 6, "label": "Strong accept"},
        ],
        "help_text": "",
        "visibility": FieldVisibility.AUTHORS,
        "required": True,
    },
    {
        "key": "confidence",
        "label": "Reviewer confidence",
        "kind": FieldKind.SCORE,
        "scale": [
            {"value": 1, "label": "Educated guess"},
            {"value": 2, "label": "Fairly confident"},
            {"value": 3, "label": "Confident"},
            {"value": 4, "label": "Expert"},
        ],
        "help_text": "",
        "visibility": FieldVisibility.AUTHORS,
        "required": True,
    },
    {
        "key": "questions_for_authors",
        "label": "Questions for the author response",
        "kind": FieldKind.TEXT,
        "help_text": "Questions whose answers could change your assessment.",
        "visibility": FieldVisibility.AUTHORS,
        "required": False,
    },
    {
        "key": "comments_for_pc",
        "label": "Comments for the PC",
        "kind": FieldKind.TEXT,
        "help_text": "Seen by the paper's other reviewers and the chairs, never by the authors.",
        "visibility": FieldVisibility.PC,
        "required": False,
    },
    {
        "key": "comments_for_chairs",
        "label": "Confidential comments for the chairs",
        "kind": FieldKind.TEXT,
        "help_text": "Seen by the chairs only.",
        "visibility": FieldVisibility.CHAIRS,
        "required": False,
    },
]


def ensure_default_form(conference) -> ReviewForm:
    """The conference's default form, created with :data:`DEFAULT_FIELDS` on first use.

    Idempotent: an existing default form is returned as it is (chairs' edits are kept); a
    concurrent creation is resolved by the ``one_default_review_form`` constraint.
    """
    form = ReviewForm.objects.filter(conference=conference, track__isnull=True).first()
    if form is not None:
        return form
    try:
        with transaction.atomic():
            form = ReviewForm.objects.create(conference=conference, name="Review form")
            ReviewField.objects.bulk_create(
                ReviewField(
                    form=form,
                    order=index,
                    key=spec["key"],
                    label=spec["label"],
                    kind=spec["kind"],
                    help_text=spec.get("help_text", ""),
                    scale=[dict(point) for point in spec.get("scale", [])],
                    choices=list(spec.get("choices", [])),
                    required=spec.get("required", True),
                    visibility=spec["visibility"],
                )
                for index, spec in enumerate(DEFAULT_FIELDS)
            )
    except IntegrityError:
        return ReviewForm.objects.get(conference=conference, track__isnull=True)
    return form


def form_for(submission) -> ReviewForm:
    """The form ``submission`` is reviewed with: its track's own form, else the default."""
    form = ReviewForm.objects.filter(
        conference_id=submission.conference_id, track_id=submission.track_id
    ).first()
    if form is not None:
        return form
    return ensure_default_form(submission.conference)

"""The review form API other reviewing modules build on."""

import pytest
from django.core.exceptions import ValidationError

from reviews.enums import FieldKind, FieldVisibility
from reviews.models import ReviewField, ReviewForm
from reviews.review_forms import (
    DEFAULT_FIELDS,
    MAX_TEXT_LENGTH,
    active_fields,
    confidence,
    display_value,
    ensure_default_form,
    form_for,
    levels_for,
    overall_merit,
    score_fields,
    validate_answers,
    visible_answers,
)
from tests import factories
from tests.reviews.review_forms_fixtures import FULL_ANSWERS, assign, review

pytestmark = pytest.mark.django_db


@pytest.fixture
def form(conference):
    return ensure_default_form(conference)


def test_default_form_has_the_mlsys_questions_in_order(form):
    fields = active_fields(form)
    assert [f.key for f in fields] == [
        "summary",
        "strengths",
        "weaknesses",
        "ml_contribution",
        "systems_contribution",
        "reproducibility",
        "overall_merit",
        "confidence",
        "questions_for_authors",
        "comments_for_pc",
        "comments_for_chairs",
    ]
    by_key = {f.key: f for f in fields}
    assert [p["label"] for p in by_key["overall_merit"].scale] == [
        "Strong reject",
        "Reject",
        "Weak reject",
        "Weak accept",
        "Accept",
        "Strong accept",
    ]
    assert [p["value"] for p in by_key["overall_merit"].scale] == [1, 2, 3, 4, 5, 6]
    assert [p["label"] for p in by_key["confidence"].scale] == [
        "Educated guess",
        "Fairly confident",
        "Confident",
        "Expert",
    ]
    assert [p["label"] for p in by_key["ml_contribution"].scale] == [
        "None",
        "Minor",
        "Solid",
        "Significant",
    ]
    assert "artifact" in by_key["reproducibility"].help_text
    assert by_key["comments_for_pc"].visibility == FieldVisibility.PC
    assert by_key["comments_for_chairs"].visibility == FieldVisibility.CHAIRS
    assert not by_key["questions_for_authors"].required
    assert by_key["summary"].required and by_key["summary"].kind == FieldKind.TEXT
    assert len(DEFAULT_FIELDS) == len(fields)


def test_ensure_default_form_is_idempotent_and_keeps_chair_edits(conference, form):
    ReviewField.objects.filter(form=form, key="summary").update(label="Paper summary")
    again = ensure_default_form(conference)
    assert again.pk == form.pk
    assert ReviewForm.objects.filter(conference=conference).count() == 1
    assert ReviewField.objects.filter(form=form).count() == len(DEFAULT_FIELDS)
    assert ReviewField.objects.get(form=form, key="summary").label == "Paper summary"


def test_form_for_uses_the_track_form_else_the_default(conference):
    research, industry = conference.tracks.order_by("order")
    track_form = factories.ReviewFormFactory(conference=conference, track=industry, name="Industry")
    paper = factories.SubmissionFactory(conference=conference, track=research)
    industry_paper = factories.SubmissionFactory(conference=conference, track=industry)
    default = form_for(paper)
    assert default.track_id is None and default.conference_id == conference.pk
    assert form_for(industry_paper) == track_form


def test_active_fields_use_prefetched_fields(form, django_assert_num_queries):
    form = ReviewForm.objects.prefetch_related("fields").get(pk=form.pk)
    ReviewField.objects.filter(form=form, key="strengths").update(active=False)
    with django_assert_num_queries(0):
        keys = [f.key for f in active_fields(form)]
    # The prefetch predates the update, so "strengths" is still in it: proof no query ran.
    assert "strengths" in keys
    assert "strengths" not in [f.key for f in active_fields(ReviewForm.objects.get(pk=form.pk))]


def test_validate_answers_cleans_each_kind(form):
    factories.ReviewFieldFactory(
        form=form,
        key="venue_fit",
        label="Fit",
        kind=FieldKind.CHOICE,
        choices=["Yes", "No"],
        required=False,
        order=50,
    )
    cleaned = validate_answers(
        form,
        {
            **FULL_ANSWERS,
            "overall_merit": "4",
            "summary": "  padded  ",
            "venue_fit": "No",
            "nonsense": "dropped",
            "comments_for_pc": "   ",
        },
        final=True,
    )
    assert cleaned["overall_merit"] == 4
    assert cleaned["summary"] == "padded"
    assert cleaned["venue_fit"] == "No"
    assert "nonsense" not in cleaned
    assert "comments_for_pc" not in cleaned


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("overall_merit", 7, "not on the scale"),
        ("overall_merit", 0, "not on the scale"),
        ("overall_merit", "high", "Choose a value"),
        ("overall_merit", True, "Choose a value"),
        ("confidence", 2.5, "Choose a value"),
        ("summary", 42, "Enter text"),
        ("summary", "x" * (MAX_TEXT_LENGTH + 1), "under 20,000 characters"),
    ],
)
def test_validate_answers_refuses_bad_values(form, key, value, message):
    with pytest.raises(ValidationError) as raised:
        validate_answers(form, {**FULL_ANSWERS, key: value}, final=False)
    assert list(raised.value.message_dict) == [key]
    assert message in raised.value.message_dict[key][0]


def test_validate_answers_refuses_an_unknown_choice(form):
    factories.ReviewFieldFactory(
        form=form,
        key="venue_fit",
        label="Fit",
        kind=FieldKind.CHOICE,
        choices=["Yes", "No"],
        order=50,
    )
    with pytest.raises(ValidationError) as raised:
        validate_answers(form, {"venue_fit": "Maybe"}, final=False)
    assert raised.value.message_dict == {"venue_fit": ["“Maybe” is not one of the options."]}


def test_final_validation_needs_every_required_field(form):
    answers = dict(FULL_ANSWERS)
    del answers["overall_merit"]
    answers["weaknesses"] = "  "
    assert validate_answers(form, answers, final=False)["summary"] == answers["summary"]
    with pytest.raises(ValidationError) as raised:
        validate_answers(form, answers, final=True)
    assert sorted(raised.value.message_dict) == ["overall_merit", "weaknesses"]
    assert validate_answers(form, FULL_ANSWERS, final=True) == FULL_ANSWERS


def test_inactive_fields_keep_their_answers_and_are_not_required(form):
    ReviewField.objects.filter(form=form, key="reproducibility").update(active=False)
    answers = {**FULL_ANSWERS, "reproducibility": "legacy value, no longer on any scale"}
    cleaned = validate_answers(form, answers, final=True)
    assert cleaned["reproducibility"] == "legacy value, no longer on any scale"
    without = {k: v for k, v in FULL_ANSWERS.items() if k != "reproducibility"}
    assert "reproducibility" not in validate_answers(form, without, final=True)


@pytest.fixture
def paper(conference, author):
    return factories.SubmissionFactory(conference=conference, authors=[author])


def test_levels_for_each_role(paper, chair, ml_reviewer, conflicted_reviewer, author, outsider):
    assign(paper, ml_reviewer)
    assign(paper, conflicted_reviewer)
    factories.ConflictFactory(submission=paper, user=conflicted_reviewer, state="confirmed")
    assert levels_for(chair, paper) == {"authors", "pc", "chairs"}
    assert levels_for(ml_reviewer, paper) == {"authors", "pc"}
    assert levels_for(conflicted_reviewer, paper) == frozenset()
    assert levels_for(author, paper) == {"authors"}
    assert levels_for(outsider, paper) == frozenset()


def test_levels_for_a_conflicted_chair_are_empty(paper, chair):
    factories.ConflictFactory(submission=paper, user=chair, state="confirmed")
    assert levels_for(chair, paper) == frozenset()


def test_levels_for_an_unreleased_or_declined_reviewer_are_empty(paper, ml_reviewer):
    assignment = assign(paper, ml_reviewer, released=False)
    assert levels_for(ml_reviewer, paper) == frozenset()
    assignment.released = True
    assignment.declined_at = assignment.created_at
    assignment.save()
    ml_reviewer.__dict__.pop("_assigned_ids", None)
    assert levels_for(ml_reviewer, paper) == frozenset()


def test_visible_answers_filter_by_level_and_skip_inactive(paper, ml_reviewer):
    r = review(
        paper,
        ml_reviewer,
        {**FULL_ANSWERS, "comments_for_pc": "pc only", "comments_for_chairs": "chairs only"},
    )
    ReviewField.objects.filter(form=r.form, key="strengths").update(active=False)
    r.refresh_from_db()
    r.form = ReviewForm.objects.get(pk=r.form_id)
    author_keys = [f.key for f, _ in visible_answers(r, frozenset({"authors"}))]
    assert "comments_for_pc" not in author_keys and "comments_for_chairs" not in author_keys
    assert "strengths" not in author_keys
    assert author_keys[:3] == ["summary", "weaknesses", "ml_contribution"]
    pc = {f.key: v for f, v in visible_answers(r, frozenset({"authors", "pc"}))}
    assert pc["comments_for_pc"] == "pc only" and "comments_for_chairs" not in pc
    chairs = {f.key: v for f, v in visible_answers(r, frozenset({"authors", "pc", "chairs"}))}
    assert chairs["comments_for_chairs"] == "chairs only"
    assert "strengths" not in chairs
    assert "strengths" in r.answers
    assert visible_answers(r, frozenset()) == []


def test_score_helpers(paper, ml_reviewer, form):
    r = review(paper, ml_reviewer, FULL_ANSWERS)
    assert overall_merit(r) == 5
    assert confidence(r) == 3
    r.answers = {}
    assert overall_merit(r) is None and confidence(r) is None
    assert [f.key for f in score_fields(form)] == [
        "ml_contribution",
        "systems_contribution",
        "reproducibility",
        "overall_merit",
        "confidence",
    ]
    merit = ReviewField.objects.get(form=form, key="overall_merit")
    assert display_value(merit, 4) == "4: Weak accept"

"""Every write to review forms and the reviewing settings. Each one is audited.

Invariant: no change here can make a stored answer (in a review or a revision) unreadable. A
question with answers is deactivated rather than deleted, its key and kind never change, and its
scale or options keep every value already used.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from mlsys.conferences.models import Conference, Track
from mlsys.core import audit
from reviews.enums import FieldKind
from reviews.models import ReviewField, ReviewForm
from reviews.review_forms.answers import choice_values, scale_values
from reviews.review_forms.defaults import ensure_default_form
from reviews.review_forms.usage import has_reviews, is_used, used_values

FIELD_ATTRS = ("label", "key", "kind", "help_text", "visibility", "required", "scale", "choices")
SETTINGS_ATTRS = ("other_reviews_visibility", "reviewer_names_visible", "response_word_limit")


class FormChangeRefused(Exception):
    """A change that the form's state does not allow; the message says why."""


def _locked_form(form: ReviewForm) -> ReviewForm:
    return ReviewForm.objects.select_for_update(of=("self",)).get(pk=form.pk)


@transaction.atomic
def create_track_form(conference: Conference, track: Track, *, actor) -> ReviewForm:
    """Give ``track`` its own form, a copy of the conference default's active questions."""
    if track.conference_id != conference.pk:
        raise FormChangeRefused("That track belongs to another conference.")
    if ReviewForm.objects.filter(track=track).exists():
        raise FormChangeRefused(f"{track.name} already has its own review form.")
    default = ensure_default_form(conference)
    form = ReviewForm.objects.create(
        conference=conference, track=track, name=f"{track.name} review form"
    )
    ReviewField.objects.bulk_create(
        ReviewField(form=form, order=index, **{a: getattr(f, a) for a in FIELD_ATTRS})
        for index, f in enumerate(default.fields.filter(active=True).order_by("order", "pk"))
    )
    audit.record(
        "review_form.created", actor=actor, target=form, note=f"Copied from {default.name}"
    )
    return form


@transaction.atomic
def delete_track_form(form: ReviewForm, *, actor) -> None:
    """Drop a track's own form so the track uses the default again; refused once reviews use it."""
    form = _locked_form(form)
    if form.track_id is None:
        raise FormChangeRefused("The conference's default form cannot be deleted.")
    if has_reviews(form):
        raise FormChangeRefused("Reviews already use this form, so it stays.")
    audit.record("review_form.deleted", actor=actor, target=form)
    form.delete()


@transaction.atomic
def add_field(form: ReviewForm, data: dict, *, actor) -> ReviewField:
    """Append a question at the end of ``form``. ``data`` holds :data:`FIELD_ATTRS`."""
    form = _locked_form(form)
    last = form.fields.aggregate(last=Max("order"))["last"]
    field = ReviewField.objects.create(
        form=form, order=0 if last is None else last + 1, **{a: data[a] for a in FIELD_ATTRS}
    )
    audit.record(
        "review_form.field_added",
        actor=actor,
        target=field,
        conference=form.conference,
        changes={"key": [None, field.key]},
    )
    return field


def _check_keeps_answers(field: ReviewField, data: dict) -> None:
    """Raise ValidationError({attr: message}) if ``data`` would orphan a stored answer."""
    if not is_used(field):
        return
    errors = {}
    if data["key"] != field.key:
        errors["key"] = "Reviews already answer this question, so its key cannot change."
    if data["kind"] != field.kind:
        errors["kind"] = "Reviews already answer this question, so its kind cannot change."
    if not errors:
        used = [v for v in used_values(field) if v is not None]
        if field.kind == FieldKind.SCORE:
            allowed = set(scale_values(ReviewField(scale=data["scale"])))
            missing = sorted({v for v in used if v not in allowed}, key=str)
            if missing:
                values = ", ".join(map(str, missing))
                pronoun = "it" if len(missing) == 1 else "them"
                errors["scale"] = f"Reviews already use {values}, so the scale must keep {pronoun}."
        elif field.kind == FieldKind.CHOICE:
            options = set(choice_values(ReviewField(choices=data["choices"])))
            missing = sorted({str(v) for v in used if str(v) not in options})
            if missing:
                values = ", ".join(f"“{v}”" for v in missing)
                pronoun = "it" if len(missing) == 1 else "them"
                errors["choices"] = (
                    f"Reviews already chose {values}, so the options must keep {pronoun}."
                )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def update_field(field: ReviewField, data: dict, *, actor) -> ReviewField:
    """Change a question. Raises ValidationError({attr: message}) for changes that would
    invalidate existing answers (key or kind change, a scale or option list dropping used values).
    """
    _locked_form(field.form)
    field = ReviewField.objects.get(pk=field.pk)
    _check_keeps_answers(field, data)
    before = audit.snapshot(field, FIELD_ATTRS)
    for attr in FIELD_ATTRS:
        setattr(field, attr, data[attr])
    field.save(update_fields=[*FIELD_ATTRS, "updated_at"])
    changes = audit.diff(before, field)
    if changes:
        audit.record(
            "review_form.field_changed",
            actor=actor,
            target=field,
            conference=field.form.conference,
            changes=changes,
        )
    return field


@transaction.atomic
def move_field(field: ReviewField, direction: str, *, actor) -> None:
    """Swap an active question with its active neighbour (``"up"`` or ``"down"``).

    Orders are renumbered 0..n with active questions first, so gaps and ties left by earlier
    edits disappear. Moving past either end does nothing.
    """
    form = _locked_form(field.form)
    fields = list(form.fields.order_by("order", "pk"))
    active = [f for f in fields if f.active]
    index = next((i for i, f in enumerate(active) if f.pk == field.pk), None)
    if index is None:
        raise FormChangeRefused("Only questions on the form can be moved.")
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(active):
        return
    active[index], active[other] = active[other], active[index]
    ordered = active + [f for f in fields if not f.active]
    changed = []
    for position, f in enumerate(ordered):
        if f.order != position:
            f.order = position
            changed.append(f)
    ReviewField.objects.bulk_update(changed, ["order"])
    audit.record(
        "review_form.field_moved",
        actor=actor,
        target=field,
        conference=form.conference,
        note=direction,
    )


@transaction.atomic
def remove_field(field: ReviewField, *, actor) -> bool:
    """Take a question off the form. Returns True if it was deleted, False if it was only
    deactivated because reviews hold answers to it (they stay stored, hidden everywhere)."""
    form = _locked_form(field.form)
    field = ReviewField.objects.get(pk=field.pk)
    if is_used(field):
        field.active = False
        field.save(update_fields=["active", "updated_at"])
        audit.record(
            "review_form.field_deactivated",
            actor=actor,
            target=field,
            conference=form.conference,
            changes={"active": [True, False]},
        )
        return False
    audit.record(
        "review_form.field_deleted",
        actor=actor,
        target=field,
        conference=form.conference,
        changes={"key": [field.key, None]},
    )
    field.delete()
    return True


@transaction.atomic
def restore_field(field: ReviewField, *, actor) -> ReviewField:
    """Put a deactivated question back at the end of the form, with its answers."""
    form = _locked_form(field.form)
    field = ReviewField.objects.get(pk=field.pk)
    if field.active:
        return field
    last = form.fields.filter(active=True).aggregate(last=Max("order"))["last"]
    field.active = True
    field.order = 0 if last is None else last + 1
    field.save(update_fields=["active", "order", "updated_at"])
    audit.record(
        "review_form.field_restored",
        actor=actor,
        target=field,
        conference=form.conference,
        changes={"active": [False, True]},
    )
    return field


@transaction.atomic
def update_review_settings(conference: Conference, data: dict, *, actor) -> Conference:
    """Save the reviewing settings (other reviews' visibility, reviewer names, response limit)."""
    conference = Conference.objects.select_for_update(of=("self",)).get(pk=conference.pk)
    before = audit.snapshot(conference, SETTINGS_ATTRS)
    for attr in SETTINGS_ATTRS:
        setattr(conference, attr, data[attr])
    conference.save(update_fields=[*SETTINGS_ATTRS, "updated_at"])
    changes = audit.diff(before, conference)
    if changes:
        audit.record(
            "conference.review_settings_changed",
            actor=actor,
            target=conference,
            changes=changes,
        )
    return conference


# --- Starting next year's conference (a mlsys.conferences.setup_copy hook) ---------------------

REVIEW_FORMS = "review forms"
REVIEW_QUESTIONS = "review questions"


def preview_form_copy(source: Conference) -> dict[str, int]:
    return {
        REVIEW_FORMS: ReviewForm.objects.filter(conference=source).count(),
        REVIEW_QUESTIONS: ReviewField.objects.filter(form__conference=source, active=True).count(),
    }


def copy_forms(context) -> dict[str, int]:
    """Copy the default form and each track's own form with their active questions (removed
    questions stay behind: they only exist to keep old answers readable). Runs after the
    tracks hook, which fills ``context.tracks``."""
    sources = list(ReviewForm.objects.filter(conference=context.source).order_by("pk"))
    forms = ReviewForm.objects.bulk_create(
        ReviewForm(
            conference=context.target,
            track=context.tracks[form.track_id] if form.track_id else None,
            name=form.name,
        )
        for form in sources
    )
    new_form = {old.pk: new for old, new in zip(sources, forms, strict=True)}
    fields = ReviewField.objects.bulk_create(
        ReviewField(
            form=new_form[field.form_id],
            order=field.order,
            **{attr: getattr(field, attr) for attr in FIELD_ATTRS},
        )
        for field in ReviewField.objects.filter(
            form__conference=context.source, active=True
        ).order_by("form", "order", "pk")
    )
    return {REVIEW_FORMS: len(forms), REVIEW_QUESTIONS: len(fields)}

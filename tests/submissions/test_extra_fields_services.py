"""Chairs manage a track's extra questions: services, validation, and keeping authors' answers."""

import pytest
from django.core.exceptions import ValidationError

from mlsys.core.models import AuditEvent
from submissions import extra_fields
from submissions.models import ExtraField
from tests import factories

pytestmark = pytest.mark.django_db


def research(conference):
    return conference.tracks.get(slug="research")


def add(track, chair, **data):
    return extra_fields.create_extra_field(
        track=track, data={"kind": "text", "label": "Q", **data}, actor=chair
    )


def answered(conference, field, value, track=None):
    """A submission in ``field``'s track that stored ``value`` as its answer."""
    return factories.SubmissionFactory(
        conference=conference,
        track=track or field.track,
        extra_answers={str(field.pk): value},
    )


def test_create_appends_with_normalised_values_and_an_audit_row(conference, chair):
    track = research(conference)
    first = add(track, chair, label="  Previously   submitted? ", kind="checkbox")
    second = extra_fields.create_extra_field(
        track=track,
        data={
            "label": "Previously submitted to",
            "kind": "choice",
            "choices": " NeurIPS \n\nICML\n  OSDI ",
            "help_text": "The last venue.",
            "required": True,
        },
        actor=chair,
    )
    assert (first.label, first.order, second.order) == ("Previously submitted?", 0, 1)
    second.refresh_from_db()
    assert second.choices == "NeurIPS\nICML\nOSDI"
    assert second.choice_list == ["NeurIPS", "ICML", "OSDI"]
    assert second.required is True and second.help_text == "The last venue."
    event = AuditEvent.objects.get(action="extra_field.created", object_id=str(second.pk))
    assert event.actor == chair and event.conference == conference
    assert event.changes["label"] == [None, "Previously submitted to"]
    assert event.changes["choices"] == [None, "NeurIPS\nICML\nOSDI"]
    assert AuditEvent.objects.filter(action="extra_field.created").count() == 2


def test_create_with_bad_input_lists_every_problem_and_writes_nothing(conference, chair):
    with pytest.raises(ValidationError) as caught:
        extra_fields.create_extra_field(
            track=research(conference),
            data={"label": "   ", "kind": "choice", "choices": "Only one\nOnly one"},
            actor=chair,
        )
    errors = caught.value.message_dict
    assert errors["label"] == ["Write the question."]
    assert errors["choices"] == [
        "A choice question needs at least 2 options, one per line.",
        "Listed twice: “Only one”.",
    ]
    assert not ExtraField.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="extra_field").exists()


def test_create_with_unknown_kind_is_refused(conference, chair):
    with pytest.raises(ValidationError) as caught:
        add(research(conference), chair, kind="slider")
    assert caught.value.message_dict == {"kind": ["Choose checkbox, choice or text."]}


def test_options_of_a_text_question_are_dropped(conference, chair):
    field = add(research(conference), chair, kind="text", choices="A\nB")
    field.refresh_from_db()
    assert field.choices == ""


def test_update_audits_only_changed_fields_and_a_no_op_writes_nothing(conference, chair):
    field = add(research(conference), chair, label="Old", help_text="Help")
    extra_fields.update_extra_field(
        extra_field=field,
        data={"label": "New", "kind": "text", "help_text": "Help", "required": True},
        actor=chair,
    )
    field.refresh_from_db()
    assert (field.label, field.required) == ("New", True)
    event = AuditEvent.objects.get(action="extra_field.updated")
    assert event.changes == {"label": ["Old", "New"], "required": [False, True]}
    assert event.conference == conference and event.actor == chair
    extra_fields.update_extra_field(
        extra_field=field,
        data={"label": "New", "kind": "text", "help_text": "Help", "required": True},
        actor=chair,
    )
    assert AuditEvent.objects.filter(action="extra_field.updated").count() == 1


def test_kind_cannot_change_once_answered(conference, chair):
    field = add(research(conference), chair, kind="checkbox")
    answered(conference, field, False)  # an unticked box is an answer ("no")
    with pytest.raises(ValidationError) as caught:
        extra_fields.update_extra_field(
            extra_field=field, data={"label": "Q", "kind": "text"}, actor=chair
        )
    assert caught.value.message_dict["kind"] == [
        "1 submission answered this question, so its kind can't change. Add a new question instead."
    ]
    field.refresh_from_db()
    assert field.kind == "checkbox"


def test_kind_can_change_while_only_empty_answers_exist(conference, chair):
    field = add(research(conference), chair, kind="text")
    answered(conference, field, "")
    extra_fields.update_extra_field(
        extra_field=field,
        data={"label": "Q", "kind": "choice", "choices": "Yes\nNo"},
        actor=chair,
    )
    field.refresh_from_db()
    assert (field.kind, field.choice_list) == ("choice", ["Yes", "No"])


def test_options_used_by_answers_cannot_be_removed_or_reworded(conference, chair):
    field = add(research(conference), chair, kind="choice", choices="NeurIPS\nICML\nOSDI")
    answered(conference, field, "NeurIPS")
    answered(conference, field, "NeurIPS")
    answered(conference, field, "OSDI")
    with pytest.raises(ValidationError) as caught:
        extra_fields.update_extra_field(
            extra_field=field,
            data={"label": "Q", "kind": "choice", "choices": "NeurIPS 2026\nICML"},
            actor=chair,
        )
    assert caught.value.message_dict["choices"] == [
        "Submissions already chose these options, so they can't be removed or reworded: "
        "“NeurIPS” (2), “OSDI” (1). Keep them; you can add new options."
    ]
    field.refresh_from_db()
    assert field.choices == "NeurIPS\nICML\nOSDI"


def test_unused_options_can_be_removed_and_new_ones_added(conference, chair):
    field = add(research(conference), chair, kind="choice", choices="NeurIPS\nICML\nOSDI")
    submission = answered(conference, field, "OSDI")
    extra_fields.update_extra_field(
        extra_field=field,
        data={"label": "Q", "kind": "choice", "choices": "OSDI\nSOSP\nEuroSys"},
        actor=chair,
    )
    field.refresh_from_db()
    assert field.choice_list == ["OSDI", "SOSP", "EuroSys"]
    submission.refresh_from_db()
    assert submission.extra_answers == {str(field.pk): "OSDI"}


def test_delete_unanswered_question_deletes_it_with_an_audit_row(conference, chair):
    field = add(research(conference), chair, label="Artifact planned?")
    answered(conference, field, None)
    extra_fields.delete_extra_field(extra_field=field, actor=chair)
    assert not ExtraField.objects.exists()
    event = AuditEvent.objects.get(action="extra_field.deleted")
    assert event.object_repr == "Artifact planned?" and event.conference == conference
    assert event.changes["label"] == ["Artifact planned?", None]


def test_delete_answered_question_is_refused_and_answers_stay(conference, chair):
    field = add(research(conference), chair, label="Previously submitted to")
    submission = answered(conference, field, "ICML 2026")
    with pytest.raises(ValidationError) as caught:
        extra_fields.delete_extra_field(extra_field=field, actor=chair)
    assert caught.value.messages == [
        "“Previously submitted to” has answers from 1 submission, so it can't be deleted "
        "(the answers are kept). Make it optional or rename it instead."
    ]
    assert ExtraField.objects.filter(pk=field.pk).exists()
    submission.refresh_from_db()
    assert submission.extra_answers == {str(field.pk): "ICML 2026"}
    assert not AuditEvent.objects.filter(action="extra_field.deleted").exists()


def test_answers_in_another_track_do_not_count(conference, chair):
    field = add(research(conference), chair)
    answered(conference, field, "stale", track=conference.tracks.get(slug="industry"))
    assert extra_fields.answer_usage(field.track) == {}


def test_move_swaps_neighbours_and_audits(conference, chair):
    track = research(conference)
    a, b, c = (add(track, chair, label=label) for label in "ABC")
    extra_fields.move_extra_field(extra_field=c, direction="up", actor=chair)
    assert list(track.extra_fields.values_list("label", flat=True)) == ["A", "C", "B"]
    event = AuditEvent.objects.get(action="extra_field.moved")
    assert event.object_id == str(c.pk) and event.changes == {"order": [2, 1]}
    extra_fields.move_extra_field(extra_field=a, direction="down", actor=chair)
    assert list(track.extra_fields.values_list("label", flat=True)) == ["C", "A", "B"]


def test_move_past_the_end_changes_nothing(conference, chair):
    track = research(conference)
    a = add(track, chair, label="A")
    add(track, chair, label="B")
    extra_fields.move_extra_field(extra_field=a, direction="up", actor=chair)
    assert list(track.extra_fields.values_list("label", "order")) == [("A", 0), ("B", 1)]
    assert not AuditEvent.objects.filter(action="extra_field.moved").exists()
    with pytest.raises(ValidationError):
        extra_fields.move_extra_field(extra_field=a, direction="sideways", actor=chair)

"""Named domain words stay in step with the fields and lists they name."""

from mlsys.conferences.api.serializers import TrackSerializer
from mlsys.conferences.forms import TrackForm
from mlsys.conferences.models import Conference, Track
from mlsys.conferences.services import TRACK_FIELD_GROUPS, TRACK_FIELDS
from reviews.enums import OtherReviewsVisibility


def test_the_other_reviews_enum_is_the_conference_setting_choices():
    field = Conference._meta.get_field("other_reviews_visibility")

    assert list(field.choices) == list(OtherReviewsVisibility.choices)
    assert field.default == OtherReviewsVisibility.AFTER_SUBMIT


def test_track_fields_are_listed_once_for_the_form_the_api_and_the_services():
    flat = [name for _, names in TRACK_FIELD_GROUPS for name in names]

    assert list(TRACK_FIELDS) == flat
    assert len(set(flat)) == len(flat)
    assert TrackForm.fieldsets is TRACK_FIELD_GROUPS
    assert TrackForm._meta.fields == flat
    assert TrackSerializer.Meta.fields == ["id", *flat]


def test_every_rule_a_chair_sets_on_a_track_is_in_the_list():
    not_rules = {"id", "conference", "created_at", "updated_at"}
    concrete = {
        f.name for f in Track._meta.get_fields() if f.concrete and not f.auto_created
    } - not_rules

    assert concrete == set(TRACK_FIELDS)

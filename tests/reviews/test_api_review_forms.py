"""Review forms API: chairs and reviewing members read; chairs add, change and remove
questions through reviews.review_forms.services (the same checks and messages as the page)."""

import pytest

from mlsys.core.models import AuditEvent
from reviews.models import ReviewField
from reviews.review_forms import ensure_default_form
from tests.reviews.paper_fixtures import answers, write_review

pytestmark = pytest.mark.django_db


def url(conference, suffix: str = "") -> str:
    return f"/api/v1/conferences/{conference.slug}/review-forms/{suffix}"


@pytest.mark.parametrize("who", ["chair", "ml_reviewer"])
def test_chairs_and_reviewers_read_the_forms(client, conference, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url(conference))
    assert response.status_code == 200
    (form,) = response.json()
    assert form["track"] is None
    merit = next(q for q in form["questions"] if q["key"] == "overall_merit")
    assert merit["kind"] == "score" and merit["scale"][0] == {"value": 1, "label": "Strong reject"}


@pytest.mark.parametrize("who", ["author", "outsider"])
def test_others_get_404(client, conference, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(conference)).status_code == 404


def test_chair_adds_a_score_question(client, conference, chair):
    form = ensure_default_form(conference)
    client.force_login(chair)
    response = client.post(
        url(conference, f"{form.pk}/fields/"),
        {
            "key": "novelty",
            "label": "Novelty",
            "kind": "score",
            "scale": [{"value": 1, "label": "Low"}, {"value": 2, "label": "High"}],
            "visibility": "pc",
            "required": False,
        },
        "application/json",
    )
    assert response.status_code == 201, response.content
    field = ReviewField.objects.get(form=form, key="novelty")
    assert (field.kind, field.visibility, field.required) == ("score", "pc", False)
    assert field.scale == [{"value": 1, "label": "Low"}, {"value": 2, "label": "High"}]
    assert AuditEvent.objects.filter(action="review_form.field_added").count() == 1


def test_bad_question_gets_field_messages(client, conference, chair):
    form = ensure_default_form(conference)
    before = form.fields.count()
    client.force_login(chair)
    response = client.post(
        url(conference, f"{form.pk}/fields/"),
        {
            "key": "summary",
            "label": "Dup",
            "kind": "score",
            "scale": [{"value": 1}],
            "visibility": "pc",
        },
        "application/json",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields["key"] == ["Another question of this form uses this key."]
    assert fields["scale"] == ["A score needs at least two points."]
    assert form.fields.count() == before


def test_reviewer_cannot_change_a_form(client, conference, ml_reviewer):
    form = ensure_default_form(conference)
    client.force_login(ml_reviewer)
    response = client.post(
        url(conference, f"{form.pk}/fields/"),
        {"key": "x", "label": "X", "kind": "text", "visibility": "pc"},
        "application/json",
    )
    assert response.status_code == 403
    assert not form.fields.filter(key="x").exists()


def test_answered_question_keeps_its_scale_values(client, conference, chair, ml_reviewer):
    from tests import factories

    paper = factories.SubmissionFactory(conference=conference)
    write_review(paper, ml_reviewer, answers("text", merit=6))
    field = ReviewField.objects.get(form__conference=conference, key="overall_merit")
    client.force_login(chair)
    response = client.patch(
        url(conference, f"{field.form_id}/fields/{field.pk}/"),
        {"scale": [{"value": 1, "label": "No"}, {"value": 2, "label": "Yes"}]},
        "application/json",
    )
    assert response.status_code == 400
    assert "6" in response.json()["error"]["fields"]["scale"][0]
    relabel = client.patch(
        url(conference, f"{field.form_id}/fields/{field.pk}/"),
        {"label": "Overall"},
        "application/json",
    )
    assert relabel.status_code == 200, relabel.content
    field.refresh_from_db()
    assert field.label == "Overall" and len(field.scale) == 6
    # Removing an answered question only hides it.
    removed = client.delete(url(conference, f"{field.form_id}/fields/{field.pk}/"))
    assert removed.status_code == 204
    field.refresh_from_db()
    assert field.active is False

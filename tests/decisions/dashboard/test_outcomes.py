"""The outcomes settings page: rename, add, reorder and retire outcomes; a used outcome is never
deleted and one with released decisions keeps its kind."""

import pytest
from django.urls import reverse

from decisions.models import Outcome
from decisions.outcomes import outcomes_of
from mlsys.core.models import AuditEvent
from tests import factories


def page_url(conference):
    return reverse("decisions:outcomes", kwargs={"conference": conference.slug})


def formset_data(rows):
    initial = sum(1 for row in rows if row.get("id"))
    data = {"o-TOTAL_FORMS": str(len(rows)), "o-INITIAL_FORMS": str(initial)}
    for i, row in enumerate(rows):
        for key, value in row.items():
            if key == "active" and not value:
                continue
            data[f"o-{i}-{key}"] = "on" if value is True else ("" if value is None else value)
    return data


def current(conference):
    return [
        {"id": o.pk, "label": o.label, "kind": o.kind, "order": o.order, "active": o.active}
        for o in outcomes_of(conference)
    ]


def test_the_page_lists_the_default_outcomes(chair_client, conference):
    response = chair_client.get(page_url(conference))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Accept (oral)" in body and "Reject" in body


def test_rename_reorder_retire_and_add(chair_client, conference):
    rows = current(conference)
    rows[0]["label"], rows[1]["label"] = rows[1]["label"], rows[0]["label"]  # a swap
    rows[2]["order"] = 0
    rows[1]["active"] = False
    rows.append(
        {"id": None, "label": "Accept (spotlight)", "kind": "accept", "order": 5, "active": True}
    )
    response = chair_client.post(page_url(conference), formset_data(rows))
    assert response.status_code == 302
    labels = [(o.label, o.active) for o in Outcome.objects.filter(conference=conference)]
    assert labels == [
        ("Accept (poster)", True),
        ("Reject", True),
        ("Accept (oral)", False),
        ("Accept (spotlight)", True),
    ]
    assert AuditEvent.objects.filter(action="decisions.outcome_added").count() == 1
    assert AuditEvent.objects.filter(action="decisions.outcome_changed").count() == 3


def test_duplicate_labels_and_no_active_outcome_are_refused(chair_client, conference):
    rows = current(conference)
    rows[1]["label"] = rows[0]["label"]
    response = chair_client.post(page_url(conference), formset_data(rows))
    assert response.status_code == 400
    assert "cannot share a label" in response.content.decode()
    rows = current(conference)
    for row in rows:
        row["active"] = False
    response = chair_client.post(page_url(conference), formset_data(rows))
    assert "Keep at least one outcome active" in response.content.decode()
    assert all(o.active for o in Outcome.objects.filter(conference=conference))


def test_an_outcome_with_released_decisions_keeps_its_kind(chair_client, conference):
    oral = outcomes_of(conference)[0]
    paper = factories.SubmissionFactory(conference=conference, status="accepted")
    factories.DecisionFactory(submission=paper, outcome=oral, status="released")
    rows = current(conference)
    rows[0]["kind"] = "reject"
    response = chair_client.post(page_url(conference), formset_data(rows))
    assert response.status_code == 400 and "its kind cannot change" in response.content.decode()
    oral.refresh_from_db()
    assert oral.kind == "accept"


def test_a_retired_outcome_keeps_its_decisions_and_is_not_offered(chair_client, conference):
    oral = outcomes_of(conference)[0]
    paper = factories.SubmissionFactory(conference=conference)
    factories.DecisionFactory(submission=paper, outcome=oral)
    rows = current(conference)
    rows[0]["active"] = False
    assert chair_client.post(page_url(conference), formset_data(rows)).status_code == 302
    assert paper.decision.outcome == oral
    dashboard = reverse("decisions:dashboard", kwargs={"conference": conference.slug})
    body = chair_client.get(dashboard).content.decode()
    assert "Accept (oral) (retired)" in body


def test_another_conferences_outcome_cannot_be_edited(chair_client, conference):
    foreign = factories.OutcomeFactory(label="Theirs")
    rows = current(conference) + [
        {"id": foreign.pk, "label": "Hijacked", "kind": "reject", "order": 9, "active": True}
    ]
    response = chair_client.post(page_url(conference), formset_data(rows))
    assert response.status_code == 400
    foreign.refresh_from_db()
    assert foreign.label == "Theirs"


def test_garbage_is_a_form_error(chair_client, conference):
    response = chair_client.post(
        page_url(conference), {"o-TOTAL_FORMS": "1", "o-INITIAL_FORMS": "0", "o-0-order": "x"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("role", ["ml_reviewer", "author", "outsider"])
def test_only_chairs(client, conference, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.post(page_url(conference), formset_data(current(conference))).status_code == 404

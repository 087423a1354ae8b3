"""The chairs' extra-question pages, who may open them, and what authors then see."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mlsys.conferences.enums import Role
from mlsys.core.models import AuditEvent
from submissions import extra_fields
from submissions.models import ExtraField, Submission
from tests import factories
from tests.submissions.author_helpers import register

pytestmark = pytest.mark.django_db


def url(name, conference, track, **kwargs):
    return reverse(
        f"submissions:{name}", kwargs={"conference": conference.slug, "track": track.pk, **kwargs}
    )


def research(conference):
    return conference.tracks.get(slug="research")


def add(track, chair, **data):
    return extra_fields.create_extra_field(
        track=track, data={"kind": "text", "label": "Q", **data}, actor=chair
    )


def edit_data(submission, **overrides):
    """What the author's edit form posts back unchanged (one author, no conflicts)."""
    data = {
        "title": submission.title,
        "abstract": submission.abstract,
        "topics": [str(t.pk) for t in submission.topics.all()],
        "version": str(submission.version),
    }
    authors = list(submission.authors.order_by("order"))
    for prefix, count in (("authors", len(authors)), ("conflicts", 0)):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(count),
                f"{prefix}-INITIAL_FORMS": str(count),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    for i, a in enumerate(authors):
        data.update(
            {
                f"authors-{i}-name": a.name,
                f"authors-{i}-email": a.email,
                f"authors-{i}-affiliation": a.affiliation,
                f"authors-{i}-ORDER": str(i + 1),
                **({f"authors-{i}-is_contact": "on"} if a.is_contact else {}),
            }
        )
    data.update(overrides)
    return data


def test_list_page_shows_questions_with_answer_counts(client, conference, chair):
    track = research(conference)
    field = add(track, chair, label="Previously submitted to", kind="choice", choices="A\nB")
    add(track, chair, label="Artifact planned?", kind="checkbox")
    factories.SubmissionFactory(
        conference=conference, track=track, extra_answers={str(field.pk): "A"}
    )
    client.force_login(chair)
    response = client.get(url("extra_fields", conference, track))
    assert response.status_code == 200
    rows = [(q.label, answers) for q, answers in response.context["rows"]]
    assert rows == [("Previously submitted to", 1), ("Artifact planned?", 0)]
    assert "Add a question" in response.text
    # An answered question offers no delete link; the unanswered one does.
    delete_answered = url("extra_field_delete", conference, track, pk=field.pk)
    assert delete_answered not in response.text


def test_chair_adds_a_question_from_the_list_page(client, conference, chair):
    track = research(conference)
    client.force_login(chair)
    response = client.post(
        url("extra_fields", conference, track),
        {"label": "Previously submitted to", "kind": "choice", "choices": "NeurIPS\nICML"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("extra_fields", conference, track)
    assert "Question added." in response.text
    field = ExtraField.objects.get()
    assert (field.track, field.label, field.kind, field.choice_list) == (
        track,
        "Previously submitted to",
        "choice",
        ["NeurIPS", "ICML"],
    )
    event = AuditEvent.objects.get(action="extra_field.created")
    assert event.actor == chair and event.conference == conference


def test_bad_input_shows_field_messages_and_keeps_what_was_typed(client, conference, chair):
    track = research(conference)
    client.force_login(chair)
    response = client.post(
        url("extra_fields", conference, track),
        {"label": "", "kind": "choice", "choices": "Only one", "help_text": "Kept help"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["label"] == ["Write the question."]
    assert form.errors["choices"] == ["A choice question needs at least 2 options, one per line."]
    assert "Kept help" in response.text
    assert not ExtraField.objects.exists()


def test_edit_page_saves_changes(client, conference, chair):
    track = research(conference)
    field = add(track, chair, label="Old")
    client.force_login(chair)
    page = client.get(url("extra_field_edit", conference, track, pk=field.pk))
    assert page.status_code == 200 and 'value="Old"' in page.text
    response = client.post(
        url("extra_field_edit", conference, track, pk=field.pk),
        {"label": "New", "kind": "text", "required": "on"},
    )
    assert response.status_code == 302
    field.refresh_from_db()
    assert (field.label, field.required) == ("New", True)
    assert AuditEvent.objects.get(action="extra_field.updated").changes == {
        "label": ["Old", "New"],
        "required": [False, True],
    }


def test_edit_page_refuses_removing_an_option_an_answer_uses(client, conference, chair):
    track = research(conference)
    field = add(track, chair, kind="choice", choices="NeurIPS\nICML")
    factories.SubmissionFactory(
        conference=conference, track=track, extra_answers={str(field.pk): "ICML"}
    )
    client.force_login(chair)
    response = client.post(
        url("extra_field_edit", conference, track, pk=field.pk),
        {"label": "Q", "kind": "choice", "choices": "NeurIPS\nMLSys"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["choices"] == [
        "Submissions already chose these options, so they can't be removed or reworded: "
        "“ICML” (1). Keep them; you can add new options."
    ]
    field.refresh_from_db()
    assert field.choice_list == ["NeurIPS", "ICML"]


def test_delete_page_deletes_an_unanswered_question(client, conference, chair):
    track = research(conference)
    field = add(track, chair, label="Artifact planned?")
    client.force_login(chair)
    page = client.get(url("extra_field_delete", conference, track, pk=field.pk))
    assert "Delete question" in page.text
    response = client.post(url("extra_field_delete", conference, track, pk=field.pk), follow=True)
    assert "Question “Artifact planned?” deleted." in response.text
    assert not ExtraField.objects.exists()
    assert AuditEvent.objects.filter(action="extra_field.deleted").count() == 1


def test_delete_of_an_answered_question_is_refused_with_a_message(client, conference, chair):
    track = research(conference)
    field = add(track, chair, label="Previously submitted to")
    factories.SubmissionFactory(
        conference=conference, track=track, extra_answers={str(field.pk): "OSDI"}
    )
    client.force_login(chair)
    page = client.get(url("extra_field_delete", conference, track, pk=field.pk))
    assert "1 submission answered this question, so it can't be deleted" in page.text
    response = client.post(url("extra_field_delete", conference, track, pk=field.pk), follow=True)
    assert "has answers from 1 submission, so it can&#x27;t be deleted" in response.text
    assert ExtraField.objects.filter(pk=field.pk).exists()
    assert Submission.objects.get().extra_answers == {str(field.pk): "OSDI"}


def test_move_buttons_reorder(client, conference, chair):
    track = research(conference)
    add(track, chair, label="A")
    b = add(track, chair, label="B")
    client.force_login(chair)
    response = client.post(url("extra_field_move", conference, track, pk=b.pk), {"direction": "up"})
    assert response.status_code == 302
    assert list(track.extra_fields.values_list("label", flat=True)) == ["B", "A"]


def test_track_pages_link_to_the_questions(client, conference, chair):
    track = research(conference)
    add(track, chair)
    add(track, chair)
    client.force_login(chair)
    target = url("extra_fields", conference, track)
    edit = client.get(reverse("conferences:track_edit", args=[conference.slug, track.pk]))
    assert f'<a href="{target}">Extra questions (2)</a>' in edit.text
    assert target in client.get(reverse("conferences:tracks", args=[conference.slug])).text


def test_required_question_appears_for_authors_and_blocks_saving_without_answer(
    client, conference, chair, author
):
    submission = register(conference, author)
    client.force_login(chair)
    client.post(
        url("extra_fields", conference, submission.track),
        {"label": "Previously submitted to", "kind": "text", "required": "on"},
    )
    field = ExtraField.objects.get()
    key = f"extra_{field.pk}"
    detail = reverse("submissions:detail", args=[conference.slug, submission.number])
    client.force_login(author)
    page = client.get(detail)
    assert "Previously submitted to" in page.text and f'name="{key}"' in page.text
    response = client.post(detail, edit_data(submission, title="A new title"))
    assert response.status_code == 400
    assert response.context["form"].errors[key] == ["This field is required."]
    submission.refresh_from_db()
    assert submission.title == "Overlapping Communication and Computation"
    response = client.post(detail, edit_data(submission, title="A new title", **{key: "ICML"}))
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.title == "A new title"
    assert submission.extra_answers == {str(field.pk): "ICML"}


def _all_pages(conference, track, field):
    return [
        url("extra_fields", conference, track),
        url("extra_field_edit", conference, track, pk=field.pk),
        url("extra_field_delete", conference, track, pk=field.pk),
        url("extra_field_move", conference, track, pk=field.pk),
    ]


@pytest.mark.parametrize("who", ["ml_reviewer", "author", "outsider"])
def test_non_chairs_get_404_and_change_nothing(client, conference, chair, who, request):
    track = research(conference)
    field = add(track, chair, label="Kept")
    if who == "author":
        register(conference, request.getfixturevalue("author"))
    client.force_login(request.getfixturevalue(who))
    for target in _all_pages(conference, track, field):
        if not target.endswith("/move/"):
            assert client.get(target).status_code == 404
        posted = client.post(target, {"label": "Hijacked", "kind": "text", "direction": "up"})
        assert posted.status_code == 404
    assert list(ExtraField.objects.values_list("label", flat=True)) == ["Kept"]


def test_anonymous_is_sent_to_log_in(client, conference, chair):
    track = research(conference)
    field = add(track, chair)
    for target in _all_pages(conference, track, field):
        response = client.post(target, {"label": "x", "kind": "text"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert ExtraField.objects.count() == 1


def test_track_or_question_of_another_conference_or_track_is_404(client, conference, chair):
    other = factories.conference_in_submission_phase(slug="osdi2027")
    factories.MembershipFactory(conference=other, user=chair, role=Role.PROGRAM_CHAIR)
    foreign_track = other.tracks.first()
    foreign_field = add(foreign_track, chair, label="Theirs")
    client.force_login(chair)
    assert client.get(url("extra_fields", conference, foreign_track)).status_code == 404
    response = client.post(url("extra_fields", conference, foreign_track), {"label": "x"})
    assert response.status_code == 404
    # A question of another track, reached through this conference's track.
    mine = research(conference)
    own_field = add(conference.tracks.get(slug="industry"), chair, label="Industry only")
    for field in (foreign_field, own_field):
        assert client.get(url("extra_field_edit", conference, mine, pk=field.pk)).status_code == 404
        delete = url("extra_field_delete", conference, mine, pk=field.pk)
        assert client.post(delete).status_code == 404
    assert sorted(ExtraField.objects.values_list("label", flat=True)) == ["Industry only", "Theirs"]


def _count_list_queries(client, conference, track) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("extra_fields", conference, track)).status_code == 200
    return len(queries)


def test_list_page_query_count_does_not_grow(client, conference, chair, django_assert_num_queries):
    track = research(conference)
    first = add(track, chair, kind="choice", choices="A\nB")
    factories.SubmissionFactory(
        conference=conference, track=track, extra_answers={str(first.pk): "A"}
    )
    client.force_login(chair)
    with_one = _count_list_queries(client, conference, track)
    for i in range(5):
        field = add(track, chair, label=f"Q{i}", kind="choice", choices="A\nB")
        factories.SubmissionFactory(
            conference=conference, track=track, extra_answers={str(field.pk): "B"}
        )
    with_six = _count_list_queries(client, conference, track)
    assert with_six == with_one
    with django_assert_num_queries(with_one):
        client.get(url("extra_fields", conference, track))

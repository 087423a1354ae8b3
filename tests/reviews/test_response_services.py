"""Writing an author response: drafts, optimistic locking, word limit, phase, notifications."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mlsys.conferences.enums import Phase, PhaseMode
from mlsys.core.errors import Conflict
from mlsys.core.models import AuditEvent
from mlsys.mail.models import OutboundEmail
from reviews.models import AuthorResponse
from reviews.response import services
from tests import factories
from tests.reviews.response_fixtures import assign, fresh, make_paper, make_reviews, set_phase


@pytest.fixture
def paper(conference, author):
    return make_paper(conference, author)


@pytest.fixture
def reviews(paper, ml_reviewer, systems_reviewer, conflicted_reviewer):
    return make_reviews(paper, ml_reviewer, systems_reviewer, conflicted_reviewer)


@pytest.fixture
def open_phase(conference):
    set_phase(conference, Phase.RESPONSE)


def url(paper, name="reviews:response"):
    return reverse(name, kwargs={"conference": paper.conference.slug, "number": paper.number})


def test_draft_is_saved_and_survives_reloading(client, paper, reviews, open_phase, author):
    client.force_login(author)

    response = client.post(
        url(paper),
        {
            "version": 0,
            "text": "Draft general answer.",
            f"review_{reviews[1].pk}": "Draft to B.",
            "action": "save",
        },
    )

    assert response.status_code == 302
    stored = AuthorResponse.objects.get(submission=paper)
    assert (stored.state, stored.text, stored.version) == ("draft", "Draft general answer.", 1)
    assert stored.per_review == {str(reviews[1].pk): "Draft to B."}
    html = client.get(url(paper)).content.decode()
    assert "Draft general answer." in html and "Draft to B." in html
    assert not OutboundEmail.objects.exists()


def test_autosave_saves_a_draft_and_returns_the_new_version(
    client, paper, reviews, open_phase, author
):
    client.force_login(author)

    response = client.post(
        url(paper, "reviews:response_autosave"),
        {"version": 0, "text": "Typed so far"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Draft saved" in html
    assert 'id="response-version" value="1" hx-swap-oob="true"' in html
    assert AuthorResponse.objects.get(submission=paper).text == "Typed so far"


def test_autosave_by_a_non_author_is_404(client, paper, reviews, open_phase, ml_reviewer):
    client.force_login(ml_reviewer)

    response = client.post(url(paper, "reviews:response_autosave"), {"version": 0, "text": "x"})

    assert response.status_code == 404
    assert not AuthorResponse.objects.exists()


def test_stale_draft_is_refused_and_the_newer_text_kept(paper, reviews, open_phase, author):
    services.save_draft(paper, actor=author, text="First co-author.", per_review={}, version=0)

    with pytest.raises(Conflict) as caught:
        services.save_draft(paper, actor=author, text="Stale edit.", per_review={}, version=0)

    assert caught.value.current["text"] == "First co-author."
    assert AuthorResponse.objects.get(submission=paper).text == "First co-author."


def test_stale_submit_through_the_page_shows_both_versions(
    client, paper, reviews, open_phase, author
):
    services.save_draft(paper, actor=author, text="Co-author's text.", per_review={}, version=0)
    client.force_login(author)

    response = client.post(url(paper), {"version": 0, "text": "Mine.", "action": "submit"})

    assert response.status_code == 409
    html = response.content.decode()
    assert "Co-author&#x27;s text." in html and "Mine." in html
    assert AuthorResponse.objects.get(submission=paper).state == "draft"
    assert not OutboundEmail.objects.exists()


def test_word_limit_is_enforced_over_text_and_sections_together(
    client, conference, paper, reviews, open_phase, author
):
    conference.response_word_limit = 50
    conference.save(update_fields=["response_word_limit"])
    services.save_draft(paper, actor=author, text="Good draft.", per_review={}, version=0)
    client.force_login(author)

    response = client.post(
        url(paper),
        {
            "version": 1,
            "text": " ".join(["word"] * 30),
            f"review_{reviews[0].pk}": " ".join(["more"] * 21),
            "action": "submit",
        },
    )

    assert response.status_code == 400
    assert "The response has 51 words; the limit is 50." in response.content.decode()
    stored = AuthorResponse.objects.get(submission=paper)
    assert (stored.state, stored.text, stored.version) == ("draft", "Good draft.", 1)
    assert not OutboundEmail.objects.exists()


def test_exactly_at_the_limit_is_accepted(conference, paper, reviews, open_phase, author):
    conference.response_word_limit = 50
    conference.save(update_fields=["response_word_limit"])

    response = services.submit(
        fresh(paper),
        actor=author,
        text=" ".join(["word"] * 40),
        per_review={str(reviews[0].pk): " ".join(["w"] * 10)},
        version=0,
    )

    assert response.state == "submitted"


def test_submit_outside_the_response_phase_is_refused(conference, paper, reviews, author):
    set_phase(conference, Phase.RESPONSE, PhaseMode.CLOSED)

    with pytest.raises(PermissionDenied):
        services.submit(fresh(paper), actor=author, text="Too late.", per_review={}, version=0)
    with pytest.raises(PermissionDenied):
        services.save_draft(fresh(paper), actor=author, text="Too late.", per_review={}, version=0)

    assert not AuthorResponse.objects.exists()


def test_posting_after_the_phase_closed_saves_nothing(client, conference, paper, reviews, author):
    conference.decisions_released_at = conference.created_at  # reviews readable, phase closed
    conference.save(update_fields=["decisions_released_at"])
    client.force_login(author)

    response = client.post(url(paper), {"version": 0, "text": "Late.", "action": "submit"})

    assert response.status_code == 302
    assert not AuthorResponse.objects.exists()


def test_a_non_author_cannot_submit(paper, reviews, open_phase, ml_reviewer):
    with pytest.raises(PermissionDenied):
        services.submit(paper, actor=ml_reviewer, text="Hi", per_review={}, version=0)


def test_submit_emails_each_non_conflicted_reviewer_only(
    client,
    paper,
    reviews,
    open_phase,
    author,
    ml_reviewer,
    systems_reviewer,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    declined = factories.UserFactory(name="Dee Clined")
    assign(paper, declined, declined_at=paper.created_at)
    assign(paper, factories.UserFactory(name="Una Released"), released=False)
    client.force_login(author)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(paper), {"version": 0, "text": "We thank the reviewers.", "action": "submit"}
        )

    assert response.status_code == 302
    stored = AuthorResponse.objects.get(submission=paper)
    assert (stored.state, stored.submitted_by, stored.version) == ("submitted", author, 1)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [ml_reviewer.email, systems_reviewer.email]
    )
    message = mailoutbox[0]
    assert (
        message.subject
        == f"[{paper.conference}] Paper #{paper.number}: the authors submitted a response"
    )
    assert f"/reviews/{paper.number}/review/" in message.body
    assert author.name not in message.body and author.email not in message.body
    assert AuditEvent.objects.filter(action="reviews.response_submitted").count() == 1


def test_resubmitting_an_edit_renotifies_and_an_unchanged_one_is_refused(
    paper, reviews, open_phase, author, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.submit(paper, actor=author, text="v1", per_review={}, version=0)
    with pytest.raises(ValidationError):
        services.submit(paper, actor=author, text="v1", per_review={}, version=first.version)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.submit(
            paper, actor=author, text="v2 edited", per_review={}, version=first.version
        )

    assert (second.text, second.version) == ("v2 edited", 2)
    assert len(mailoutbox) == 4
    assert all("updated their response" in m.subject for m in mailoutbox[2:])


def test_a_submitted_response_is_not_turned_back_into_a_draft(paper, reviews, open_phase, author):
    services.submit(paper, actor=author, text="Final.", per_review={}, version=0)

    with pytest.raises(ValidationError):
        services.save_draft(paper, actor=author, text="Oops.", per_review={}, version=1)

    stored = AuthorResponse.objects.get(submission=paper)
    assert (stored.state, stored.text) == ("submitted", "Final.")


def test_sections_for_unknown_reviews_are_dropped(paper, reviews, open_phase, author):
    response = services.save_draft(
        paper,
        actor=author,
        text="x",
        per_review={str(reviews[0].pk): "kept", "999999": "dropped", str(reviews[1].pk): "  "},
        version=0,
    )

    assert response.per_review == {str(reviews[0].pk): "kept"}


def test_empty_response_cannot_be_submitted(paper, reviews, open_phase, author):
    with pytest.raises(ValidationError):
        services.submit(paper, actor=author, text="   ", per_review={}, version=0)

    assert not AuthorResponse.objects.exists()

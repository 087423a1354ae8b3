"""The two threads: who reads and writes each, how senders are named, the emails each message
sends (authors one email signed with an alias; each evaluator their own), the length limit and
escaping, htmx and the no-JavaScript fallback."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from artifacts import enums
from artifacts.enums import ArtifactStatus as S
from artifacts.evaluation import services
from artifacts.models import ArtifactMessage
from tests.artifacts.evaluation.conftest import leaks, page_url, url

pytestmark = pytest.mark.django_db


def post(world, user, thread, body):
    return services.post_message(actor=user, artifact=world.artifact, thread=thread, body=body)


def test_evaluator_message_reaches_authors_by_alias_only(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = post(world, world.evaluator_b, "authors", "Which CUDA version?")
    assert message.sender_role == enums.Mover.EVALUATOR
    assert message.alias == "Evaluator B"
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [world.author.email.lower()]
    assert "Evaluator B wrote" in email.body
    assert "Which CUDA version?" in email.body
    headers = str(email.message())
    assert leaks(headers) == []
    assert email.reply_to == []


def test_chair_message_is_signed_by_the_ae_chairs(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = post(world, world.ae_chair, "authors", "Please add a README.")
    assert message.alias == "The AE chairs"
    assert "The AE chairs wrote" in mail.outbox[0].body
    assert world.ae_chair.name not in str(mail.outbox[0].message())


def test_author_message_reaches_each_evaluator_alone(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(world, world.author, "authors", "Fixed the Dockerfile.")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.evaluator_a.email.lower(), world.evaluator_b.email.lower()]
    )
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    assert "The authors wrote" in mail.outbox[0].body


def test_evaluators_thread_tells_the_other_evaluators_not_the_sender_nor_authors(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(world, world.evaluator_a, "evaluators", "I think Functional is fine.")
    assert [m.to for m in mail.outbox] == [[world.evaluator_b.email.lower()]]
    assert "evaluators-only" in mail.outbox[0].body


@pytest.mark.parametrize("who", ["author", "outsider", "other_evaluator", "conflicted_ae_chair"])
def test_evaluators_thread_is_closed_to(world, who):
    with pytest.raises(PermissionDenied):
        post(world, getattr(world, who), "evaluators", "hello")
    assert not ArtifactMessage.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "other_evaluator", "conflicted_ae_chair"])
def test_authors_thread_is_closed_to(world, who):
    with pytest.raises(PermissionDenied):
        post(world, getattr(world, who), "authors", "hello")


@pytest.mark.parametrize("state", [S.PUBLISHED, S.WITHDRAWN])
def test_threads_close_with_the_artifact(make_world, state):
    world = make_world(status=state)
    with pytest.raises(PermissionDenied, match="threads are closed"):
        post(world, world.author, "authors", "hello")


def test_empty_and_oversized_messages_are_refused_with_a_reason(world):
    with pytest.raises(ValidationError, match="empty"):
        post(world, world.author, "authors", "   \n ")
    with pytest.raises(ValidationError, match="limit is 20,000"):
        post(world, world.author, "authors", "x" * 20_001)
    assert not ArtifactMessage.objects.exists()


def test_unknown_thread_is_refused(world):
    with pytest.raises(ValidationError):
        post(world, world.author, "secret", "hello")


def test_page_shows_author_only_their_thread_with_aliases(world, client):
    post(world, world.evaluator_a, "authors", "Question from A")
    post(world, world.evaluator_b, "evaluators", "Between us: B thinks it is weak")
    client.force_login(world.author)
    html = client.get(page_url(world)).content.decode()
    assert "Question from A" in html
    assert "Evaluator A" in html
    assert "Between us" not in html
    assert "Evaluators only" not in html
    assert leaks(html) == []


def test_chair_sees_names_beside_aliases(world, client):
    post(world, world.evaluator_a, "authors", "Question from A")
    client.force_login(world.ae_chair)
    html = client.get(page_url(world)).content.decode()
    assert "Evaluator A · Zebulon Quixote" in html
    assert "Evaluators only" in html


def test_evaluator_sees_both_threads_by_alias(world, client):
    post(world, world.evaluator_b, "evaluators", "B here")
    client.force_login(world.evaluator_a)
    html = client.get(page_url(world)).content.decode()
    assert "B here" in html
    assert "Evaluator B" in html
    assert "Xanthippe" not in html


def test_markdown_is_rendered_and_html_escaped(world, client):
    post(world, world.author, "authors", "**bold** <script>alert(1)</script>")
    client.force_login(world.evaluator_a)
    html = client.get(page_url(world)).content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script>alert(1)</script>" not in html


def test_post_without_javascript_redirects_to_the_thread(world, client):
    client.force_login(world.author)
    response = client.post(url(world, "post_message", thread="authors"), {"body": "Hi all"})
    assert response.status_code == 302
    assert response["Location"].endswith("#thread-authors")
    assert ArtifactMessage.objects.get().body == "Hi all"


def test_post_with_htmx_returns_the_thread(world, client):
    client.force_login(world.evaluator_a)
    response = client.post(
        url(world, "post_message", thread="evaluators"),
        {"body": "Via htmx"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="thread-evaluators"' in html and "Via htmx" in html


def test_too_long_message_keeps_what_was_typed(world, client):
    client.force_login(world.author)
    body = "y" * 20_001
    response = client.post(url(world, "post_message", thread="authors"), {"body": body})
    assert response.status_code == 400
    html = response.content.decode()
    assert "At most 20,000 characters" in html
    assert body in html
    htmx = client.post(
        url(world, "post_message", thread="authors"), {"body": body}, HTTP_HX_REQUEST="true"
    )
    assert "At most 20,000 characters" in htmx.content.decode()
    assert not ArtifactMessage.objects.exists()


def test_author_posting_in_evaluators_thread_gets_404(world, client):
    client.force_login(world.author)
    response = client.post(url(world, "post_message", thread="evaluators"), {"body": "peek"})
    assert response.status_code == 404
    assert not ArtifactMessage.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "other_evaluator", "conflicted_ae_chair"])
def test_strangers_get_404_posting(world, client, who):
    client.force_login(getattr(world, who))
    response = client.post(url(world, "post_message", thread="authors"), {"body": "x"})
    assert response.status_code == 404

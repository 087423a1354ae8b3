"""The author pages: my submissions, registration, editing, status buttons, who sees what."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences.enums import DeadlineKind, Phase, PhaseMode
from mlsys.mail.models import OutboundEmail
from submissions import enums
from submissions.models import Submission
from tests import factories
from tests.factories import PASSWORD
from tests.submissions.author_helpers import (
    ABSTRACT,
    edit_data,
    formset_data,
    move_deadline,
    register,
    topics,
    url,
)

pytestmark = pytest.mark.django_db


def test_create_page_registers_a_draft_with_a_coauthor_and_a_conflict(
    client, conference, author, ml_reviewer
):
    bob = factories.UserFactory(name="Bob Builder", email="bob@lab.example.org")
    client.force_login(author)
    page = client.get(url("create", conference) + "?track=research")
    assert page.status_code == 200
    assert "Machine learning" in page.text and "Systems" in page.text
    assert f'value="{ml_reviewer.pk}"' in page.text
    data = {
        "track": "research",
        "title": "Tensor compilers",
        "abstract": ABSTRACT,
        "topics": [str(t.pk) for t in topics(conference, 2)],
        **formset_data(
            "authors",
            [
                {"name": "Ada Author", "email": author.email, "ORDER": "1", "is_contact": "on"},
                {"name": "Bob Builder", "email": "bob@lab.example.org", "ORDER": "2"},
            ],
            extra=1,
        ),
        **formset_data("conflicts", [{"user": str(ml_reviewer.pk), "reason": "collaborator"}]),
    }
    response = client.post(url("create", conference), data)
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", conference, number=1)
    assert submission.title == "Tensor compilers"
    assert list(submission.authors.values_list("email", "user", "is_contact")) == [
        (author.email, author.pk, True),
        ("bob@lab.example.org", bob.pk, False),
    ]
    assert submission.conflicts.get().user == ml_reviewer
    assert OutboundEmail.objects.get(template_key="submissions.coauthor_added").to == [
        "bob@lab.example.org"
    ]


def test_create_page_shows_field_errors_and_keeps_input(client, conference, author):
    client.force_login(author)
    data = {
        "track": "research",
        "title": "Kept title",
        "abstract": "word " * 301,
        "topics": [],
        **formset_data("authors", [{"name": "Ada", "email": author.email, "ORDER": "1"}]),
        **formset_data("conflicts", []),
    }
    response = client.post(url("create", conference), data)
    assert response.status_code == 400
    assert "The abstract has 301 words" in response.text
    assert "Mark at least one author as a contact." in response.text
    assert 'value="Kept title"' in response.text
    assert not Submission.objects.exists()


def test_create_page_after_registration_deadline_says_closed(client, conference, author):
    move_deadline(conference, DeadlineKind.REGISTRATION, timezone.now() - timedelta(seconds=1))
    client.force_login(author)
    response = client.get(url("create", conference) + "?track=research")
    assert "Registration of new submissions is closed" in response.text
    assert 'name="title"' not in response.text


def test_my_submissions_lists_own_submissions_with_what_is_missing(
    client, conference, author, outsider
):
    register(conference, author, topics=[])
    register(conference, outsider, title="Not mine")
    client.force_login(author)
    response = client.get(url("mine", conference))
    assert response.status_code == 200
    assert "Overlapping Communication and Computation" in response.text
    assert "Not mine" not in response.text
    assert "at least 1 topic (0 chosen)" in response.text
    assert "a PDF of the paper that passed the checks" in response.text
    assert "AoE" in response.text


@pytest.mark.parametrize("count", [1, 5])
def test_my_submissions_query_count_does_not_grow(
    client, conference, author, count, django_assert_num_queries
):
    for _ in range(count):
        register(conference, author, coauthors=[("Bob", "bob@lab.example.org")])
    client.force_login(author)
    client.get(url("mine", conference))  # warm the session
    with django_assert_num_queries(11):
        response = client.get(url("mine", conference))
    assert response.text.count('<th scope="row">') == count


def test_coauthor_with_an_existing_account_sees_and_edits(client, conference, author):
    bob = factories.UserFactory(name="Bob Builder", email="bob@lab.example.org")
    submission = register(conference, author, coauthors=[("Bob Builder", "bob@lab.example.org")])
    client.force_login(bob)
    assert "Overlapping" in client.get(url("mine", conference)).text
    response = client.post(
        url("detail", conference, number=1), edit_data(submission, title="Bob's better title")
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.title, submission.version) == ("Bob's better title", 2)


def test_coauthor_who_signs_up_later_is_linked_after_confirming(
    client, conference, author, django_capture_on_commit_callbacks
):
    from django.core import mail

    register(conference, author, coauthors=[("Carol", "carol@new.example.org")])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "name": "Carol",
                "email": "carol@new.example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    assert Submission.objects.get().authors.get(email="carol@new.example.org").user is None
    [confirmation] = [m for m in mail.outbox if "carol@new.example.org" in m.to]
    link = next(w for w in confirmation.body.split() if "/accounts/confirm-email/" in w)
    client.post(link[link.index("/accounts/") :])
    carol = Submission.objects.get().authors.get(email="carol@new.example.org").user
    assert carol is not None and carol.email == "carol@new.example.org"
    client.force_login(carol)
    assert client.get(url("detail", conference, number=1)).status_code == 200


def test_two_saves_from_the_same_version_second_sees_the_conflict(client, conference, author):
    bob = factories.UserFactory(name="Bob Builder", email="bob@lab.example.org")
    submission = register(conference, author, coauthors=[("Bob Builder", "bob@lab.example.org")])
    stale = edit_data(submission, title="Bob's title")
    client.force_login(author)
    client.post(url("detail", conference, number=1), edit_data(submission, title="Ada's title"))
    client.force_login(bob)
    response = client.post(url("detail", conference, number=1), stale)
    assert response.status_code == 409
    assert "Someone else changed this submission" in response.text
    assert "Ada&#x27;s title" in response.text  # their version, shown
    assert 'value="Bob&#x27;s title"' in response.text  # my input, kept
    assert 'name="version" value="2"' in response.text
    submission.refresh_from_db()
    assert submission.title == "Ada's title"


def test_detail_after_deadline_is_read_only(client, conference, author):
    register(conference, author)
    move_deadline(conference, DeadlineKind.SUBMISSION, timezone.now() - timedelta(seconds=1))
    client.force_login(author)
    response = client.get(url("detail", conference, number=1))
    assert "The submission deadline has passed: this submission is read-only." in response.text
    assert 'name="title"' not in response.text
    assert 'type="file"' not in response.text
    response = client.post(url("detail", conference, number=1), {"title": "Late"})
    assert Submission.objects.get().title == "Overlapping Communication and Computation"


def test_withdraw_button_withdraws_with_reason(client, conference, author):
    register(conference, author)
    client.force_login(author)
    page = client.get(url("detail", conference, number=1))
    assert "Withdraw" in page.text
    response = client.post(
        url("change_status", conference, number=1), {"to": "withdrawn", "reason": "Not ready."}
    )
    assert response.status_code == 302
    assert Submission.objects.get().status == enums.Status.WITHDRAWN
    page = client.get(url("detail", conference, number=1))
    assert "Revive as draft" in page.text


@pytest.mark.parametrize("who", ["outsider", "ml_reviewer", "other_author", "chair"])
def test_others_get_404_on_every_author_page(client, conference, author, who, request):
    register(conference, author)
    if who == "other_author":
        user = factories.UserFactory(email="other@uni.example.org")
        register(conference, user, title="Another paper")
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    for name, kwargs in [
        ("detail", {}),
        ("report", {}),
        ("upload", {"kind": "paper"}),
        ("change_status", {}),
    ]:
        target = url(name, conference, number=1, **kwargs)
        assert client.get(target).status_code == 404
        assert client.post(target, {"to": "withdrawn", "reason": "x"}).status_code == 404
    assert client.get(url("detail", conference, number=1)).status_code == 404
    assert Submission.objects.get(number=1).status == enums.Status.DRAFT


def test_anonymous_is_sent_to_log_in(client, conference, author):
    register(conference, author)
    for target in [
        url("mine", conference),
        url("create", conference),
        url("detail", conference, number=1),
        url("report", conference, number=1),
    ]:
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_submissions_closed_by_the_chairs_before_the_deadline_say_so(client, conference, author):
    register(conference, author)
    factories.PhaseSettingFactory(
        conference=conference, phase=Phase.SUBMISSION, mode=PhaseMode.CLOSED
    )
    client.force_login(author)
    detail = client.get(url("detail", conference, number=1)).text
    assert "The chairs have closed submissions for now" in detail
    assert "deadline has passed" not in detail and 'name="title"' not in detail
    home = client.get(reverse("home")).text
    assert "Not submitted; the chairs have closed submissions for now." in home
    assert "deadline has passed" not in home
    # Once the deadline is past, a closed switch changes nothing: the deadline has passed.
    move_deadline(conference, DeadlineKind.SUBMISSION, timezone.now() - timedelta(seconds=1))
    conference.refresh_from_db()
    assert (
        "The submission deadline has passed" in client.get(url("detail", conference, number=1)).text
    )
    assert "the submission deadline has passed" in client.get(reverse("home")).text

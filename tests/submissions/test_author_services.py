"""The author-side services: registration, editing, co-authors, conflicts, status changes."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from mlsys.conferences.enums import DeadlineKind, PhaseMode
from mlsys.core.errors import Conflict as EditConflict
from mlsys.core.models import AuditEvent
from mlsys.mail.models import OutboundEmail
from submissions import enums, services
from submissions.models import Author, Conflict, Submission
from tests import factories
from tests.submissions.author_helpers import (
    ABSTRACT,
    fresh,
    move_deadline,
    register,
    topics,
)

pytestmark = pytest.mark.django_db


def _update(submission, actor, **changes):
    return services.update_submission(
        submission=submission, actor=actor, version=submission.version, **changes
    )


# --- registration ---------------------------------------------------------------------------


def test_create_numbers_per_conference_and_adds_the_submitter_as_contact(conference, author):
    first = register(conference, author)
    other = factories.conference_in_submission_phase(slug="other2027")
    elsewhere = register(other, author)
    second = services.create_submission(
        conference=fresh(conference),
        actor=author,
        track=conference.tracks.get(slug="industry"),
        title="Second paper",
        abstract=ABSTRACT,
    )
    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)
    assert first.status == enums.Status.DRAFT
    [row] = second.authors.all()
    assert (row.email, row.user, row.is_contact, row.order) == (author.email, author, True, 0)
    assert AuditEvent.objects.filter(action="submissions.created").count() == 3


def test_create_after_registration_deadline_is_refused(conference, author):
    move_deadline(conference, DeadlineKind.REGISTRATION, timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="Registration of new submissions is closed"):
        register(conference, author)
    assert Submission.objects.count() == 0


def test_create_after_registration_deadline_is_allowed_with_late_registration(conference, author):
    move_deadline(conference, DeadlineKind.REGISTRATION, timezone.now() - timedelta(seconds=1))
    conference.allow_late_registration = True
    conference.save()
    assert register(conference, author).number == 1


def test_create_after_submission_deadline_is_refused_even_with_late_registration(
    conference, author
):
    conference.allow_late_registration = True
    conference.save()
    move_deadline(conference, DeadlineKind.SUBMISSION, timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError):
        register(conference, author)


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_distinct_numbers(conference, author):
    if connection.vendor == "sqlite":
        # SQLite serialises writers itself; the lock is exercised on PostgreSQL.
        numbers = [register(conference, author).number for _ in range(4)]
    else:
        numbers, errors = [], []

        def worker():
            try:
                numbers.append(register(conference, author).number)
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
    assert sorted(numbers) == [1, 2, 3, 4]


# --- editing --------------------------------------------------------------------------------


def test_abstract_over_the_word_limit_is_refused_and_nothing_changes(conference, author):
    submission = register(conference, author)
    limit = submission.track.abstract_word_limit
    with pytest.raises(ValidationError) as info:
        _update(submission, author, abstract="word " * (limit + 1), title="New title")
    assert info.value.message_dict["abstract"] == [
        f"The abstract has {limit + 1} words; the Research track allows at most {limit}."
    ]
    submission.refresh_from_db()
    assert (submission.abstract, submission.title, submission.version) == (
        ABSTRACT,
        "Overlapping Communication and Computation",
        1,
    )


def test_too_many_topics_are_refused_and_too_few_block_submission(conference, author):
    submission = register(conference, author, topics=[])
    track = submission.track
    track.max_topics, track.min_topics = 2, 1
    track.save()
    with pytest.raises(ValidationError) as info:
        _update(submission, author, topics=topics(conference, 3))
    assert info.value.message_dict["topics"] == ["Choose at most 2 topics (3 chosen)."]
    assert list(submission.topics.all()) == []
    assert "at least 1 topic (0 chosen)" in services.missing_requirements(submission)


def test_stale_version_raises_conflict_with_the_current_values(conference, author):
    submission = register(conference, author)
    read_version = submission.version
    services.update_submission(
        submission=submission, actor=author, version=read_version, title="First save wins"
    )
    with pytest.raises(EditConflict) as info:
        services.update_submission(
            submission=submission, actor=author, version=read_version, title="Second save"
        )
    assert info.value.current["title"] == "First save wins"
    assert info.value.current["version"] == 2
    submission.refresh_from_db()
    assert (submission.title, submission.version) == ("First save wins", 2)


def test_new_coauthor_with_an_account_is_linked_and_told(conference, author):
    bob = factories.UserFactory(name="Bob Builder", email="bob@lab.example.org")
    submission = register(conference, author)
    OutboundEmail.objects.all().delete()
    authors = [
        services.AuthorInput(name=author.name, email=author.email, is_contact=True),
        services.AuthorInput(name="Bob Builder", email="BOB@lab.example.org"),
        services.AuthorInput(name="Nora New", email="nora@new.example.org"),
    ]
    _update(submission, author, authors=authors)
    rows = list(submission.authors.order_by("order").values_list("email", "user", "order"))
    assert rows == [
        (author.email, author.pk, 0),
        ("bob@lab.example.org", bob.pk, 1),
        ("nora@new.example.org", None, 2),
    ]
    mails = {tuple(m.to): m for m in OutboundEmail.objects.all()}
    assert set(mails) == {("bob@lab.example.org",), ("nora@new.example.org",)}
    assert mails[("bob@lab.example.org",)].subject == (
        "[MLSYS2027] You were added as a co-author of #1"
    )
    assert "Sign up with nora@new.example.org" in mails[("nora@new.example.org",)].body


def test_unverified_address_of_an_account_is_not_linked(conference, author):

    squatter = factories.UserFactory(email="victim@lab.example.org", verified=False)
    factories.EmailAddressFactory(user=squatter, email=squatter.email, verified=False)
    submission = register(conference, author, coauthors=[("Victim", "victim@lab.example.org")])
    assert submission.authors.get(email="victim@lab.example.org").user is None


def test_author_list_rules(conference, author):
    submission = register(conference, author, coauthors=[("Bob", "bob@lab.example.org")])
    bob_only = [services.AuthorInput(name="Bob", email="bob@lab.example.org", is_contact=True)]
    no_contact = [services.AuthorInput(name=author.name, email=author.email)]
    dup = [
        services.AuthorInput(name="A", email=author.email, is_contact=True),
        services.AuthorInput(name="B", email=author.email.upper()),
    ]
    for rows, message in [
        ([], "A submission needs at least one author."),
        (bob_only, "You cannot remove yourself from the author list."),
        (no_contact, "Mark at least one author as a contact."),
        (dup, f"{author.email} appears twice in the author list."),
    ]:
        with pytest.raises(ValidationError) as info:
            _update(submission, author, authors=rows)
        assert message in info.value.message_dict["authors"]
    assert submission.authors.count() == 2


def test_declared_conflicts_become_suggested_author_declared_rows(
    conference, author, ml_reviewer, outsider
):
    submission = register(
        conference,
        author,
        conflicts=[services.ConflictInput(user_id=ml_reviewer.pk, reason="advisor")],
    )
    conflict = Conflict.objects.get(submission=submission)
    assert (conflict.user, conflict.source, conflict.reason, conflict.state) == (
        ml_reviewer,
        enums.ConflictSource.AUTHOR_DECLARED,
        "advisor",
        enums.ConflictState.SUGGESTED,
    )
    with pytest.raises(ValidationError) as info:
        _update(
            submission,
            author,
            conflicts=[services.ConflictInput(user_id=outsider.pk, reason="advisor")],
        )
    assert "members of the program committee" in info.value.message_dict["conflicts"][0]
    submission.refresh_from_db()
    _update(submission, author, conflicts=[])
    assert not Conflict.objects.filter(submission=submission).exists()


def test_extra_field_answers_are_validated(conference, author):
    track = conference.tracks.get(slug="research")
    box = factories.ExtraFieldFactory(track=track, label="I agree", kind="checkbox", required=True)
    choice = factories.ExtraFieldFactory(
        track=track, label="Previously at", kind="choice", choices="NeurIPS\nOSDI"
    )
    with pytest.raises(ValidationError) as info:
        register(conference, author, extra_answers={str(choice.pk): "ICML"})
    assert info.value.message_dict == {
        f"extra_{box.pk}": ["This box must be ticked."],
        f"extra_{choice.pk}": ["Choose one of the offered answers."],
    }
    submission = register(
        conference, author, extra_answers={str(box.pk): True, str(choice.pk): "OSDI"}
    )
    assert submission.extra_answers == {str(box.pk): True, str(choice.pk): "OSDI"}


def test_outsider_cannot_edit(conference, author, outsider):
    submission = register(conference, author)
    with pytest.raises(PermissionDenied):
        _update(submission, outsider, title="Mine now")


def test_edit_after_deadline_is_refused_and_a_chair_switch_reopens(conference, author):
    submission = register(conference, author)
    move_deadline(conference, DeadlineKind.SUBMISSION, timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="deadline has passed"):
        _update(submission, author, title="Late")
    factories.PhaseSettingFactory(conference=conference, phase="submission", mode=PhaseMode.OPEN)
    assert _update(submission, author, title="Late but allowed").title == "Late but allowed"


# --- linking accounts -----------------------------------------------------------------------


def test_link_authors_to_user_links_verified_addresses_only(conference, author):

    submission = register(
        conference, author, coauthors=[("Carol", "carol@x.example.org"), ("C2", "c2@x.example")]
    )
    carol = factories.UserFactory(email="carol@x.example.org", verified=False)
    factories.EmailAddressFactory(user=carol, email=carol.email, verified=False, primary=True)
    factories.EmailAddressFactory(user=carol, email="c2@x.example", verified=True)
    assert services.link_authors_to_user(carol) == 1
    assert list(
        Author.objects.filter(submission=submission, user=carol).values_list("email", flat=True)
    ) == ["c2@x.example"]


# --- status changes -------------------------------------------------------------------------


def test_submit_without_a_paper_is_refused_with_what_is_missing(conference, author):
    submission = register(conference, author)
    with pytest.raises(ValidationError, match="a PDF of the paper"):
        services.change_status(submission=submission, actor=author, to="submitted")
    submission.refresh_from_db()
    assert submission.status == enums.Status.DRAFT
    assert not OutboundEmail.objects.filter(template_key="submissions.receipt").exists()


def test_withdraw_needs_a_reason_and_mails_every_author(conference, author):
    submission = register(conference, author, coauthors=[("Bob", "bob@lab.example.org")])
    with pytest.raises(ValidationError) as info:
        services.change_status(submission=submission, actor=author, to="withdrawn")
    assert "reason" in info.value.message_dict
    services.change_status(
        submission=submission, actor=author, to="withdrawn", reason="Results were wrong."
    )
    submission.refresh_from_db()
    assert (submission.status, submission.status_reason) == ("withdrawn", "Results were wrong.")
    receipt = OutboundEmail.objects.get(template_key="submissions.receipt")
    assert receipt.to == sorted([author.email, "bob@lab.example.org"])
    assert receipt.subject == "[MLSYS2027] #1 withdrawn"
    assert "Results were wrong." in receipt.body
    event = AuditEvent.objects.get(action="submissions.status.withdrawn")
    assert event.changes == {"status": ["draft", "withdrawn"]}


def test_withdraw_after_deadline_is_allowed_but_revive_is_refused(conference, author):
    submission = register(conference, author)
    move_deadline(conference, DeadlineKind.SUBMISSION, timezone.now() - timedelta(seconds=1))
    services.change_status(submission=submission, actor=author, to="withdrawn", reason="No.")
    with pytest.raises(ValidationError, match="deadline has passed"):
        services.change_status(submission=submission, actor=author, to="draft")
    submission.refresh_from_db()
    assert submission.status == enums.Status.WITHDRAWN


def test_revive_before_the_deadline_returns_to_draft(conference, author):
    submission = register(conference, author)
    services.change_status(submission=submission, actor=author, to="withdrawn", reason="Oops")
    services.change_status(submission=submission, actor=author, to="draft")
    submission.refresh_from_db()
    assert (submission.status, submission.status_reason) == ("draft", "")
    subjects = list(
        OutboundEmail.objects.filter(template_key="submissions.receipt")
        .order_by("pk")
        .values_list("subject", flat=True)
    )
    assert subjects == ["[MLSYS2027] #1 withdrawn", "[MLSYS2027] #1 revived as a draft"]


def test_desk_reject_is_for_chairs_only(conference, author, chair, ml_reviewer):
    submission = register(conference, author)
    Submission.objects.filter(pk=submission.pk).update(status=enums.Status.SUBMITTED)
    submission.refresh_from_db()
    with pytest.raises(ValidationError):
        services.change_status(submission=submission, actor=author, to="desk_rejected", reason="x")
    with pytest.raises(PermissionDenied):
        services.change_status(
            submission=submission, actor=ml_reviewer, to="desk_rejected", reason="x"
        )
    services.change_status(
        submission=submission, actor=chair, to="desk_rejected", reason="Over the page limit."
    )
    submission.refresh_from_db()
    assert (submission.status, submission.status_reason) == (
        "desk_rejected",
        "Over the page limit.",
    )
    receipt = OutboundEmail.objects.get(template_key="submissions.receipt")
    assert receipt.subject == "[MLSYS2027] #1 desk-rejected"
    assert receipt.to == [author.email]

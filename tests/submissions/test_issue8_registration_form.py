"""Issue 8: the registration and edit forms show every problem after one try (an invalid
co-author email used to hide the service's checks until the next try), keep what was typed,
and report a problem once."""

import re

import pytest

from mlsys.mail.models import OutboundEmail
from submissions.models import Submission
from tests import factories
from tests.html_checks import accessibility_problems, parse
from tests.submissions.author_helpers import (
    ABSTRACT,
    edit_data,
    formset_data,
    register,
    topics,
    url,
)

pytestmark = pytest.mark.django_db

LONG_ABSTRACT = "word " * 301


def _create_data(conference, author, **overrides):
    data = {
        "track": "research",
        "title": "Kept title",
        "abstract": LONG_ABSTRACT,
        "topics": [str(t.pk) for t in topics(conference, 2)],
        **formset_data(
            "authors",
            [
                {"name": "Ada Author", "email": author.email, "ORDER": "1"},
                {"name": "Bob Builder", "email": "bob-at-lab", "affiliation": "Lab", "ORDER": "2"},
            ],
            extra=1,
        ),
        **formset_data("conflicts", []),
    }
    data.update(overrides)
    return data


def test_invalid_coauthor_email_and_service_problems_show_at_once(client, conference, author):
    client.force_login(author)
    response = client.post(url("create", conference), _create_data(conference, author))
    assert response.status_code == 400
    html = response.content.decode()
    # The row's own message, and the checks that used to wait for the next try.
    assert "Enter a valid email address." in html
    assert "The abstract has 301 words; the Research track allows at most 300." in html
    assert "Mark at least one author as a contact." in html
    # The bad email is reported once, next to its input.
    assert "Author 2 needs a valid email address." not in html
    # Nothing typed is lost.
    assert 'value="Kept title"' in html
    assert 'value="bob-at-lab"' in html and 'value="Bob Builder"' in html
    assert 'value="Lab"' in html
    assert LONG_ABSTRACT.strip() in html
    for topic in topics(conference, 2):
        assert re.search(rf'name="topics" value="{topic.pk}" id="id_topics_\d+" checked', html)
    assert not Submission.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_empty_title_and_invalid_email_show_together_then_the_fix_saves(client, conference, author):
    client.force_login(author)
    data = _create_data(
        conference, author, title="", abstract=ABSTRACT, **{"authors-0-is_contact": "on"}
    )
    response = client.post(url("create", conference), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count('class="errorlist"') == 2
    assert 'id="id_title_error"' in html and 'id="id_authors-1-email_error"' in html
    assert not Submission.objects.exists()

    data.update({"title": "Fixed title", "authors-1-email": "bob@lab.example.org"})
    response = client.post(url("create", conference), data)
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.title == "Fixed title"
    assert list(submission.authors.order_by("order").values_list("email", "is_contact")) == [
        (author.email, True),
        ("bob@lab.example.org", False),
    ]


def test_conflict_without_reason_and_long_abstract_show_at_once(
    client, conference, author, ml_reviewer
):
    client.force_login(author)
    data = _create_data(
        conference,
        author,
        **{"authors-1-email": "bob@lab.example.org", "authors-0-is_contact": "on"},
        **formset_data("conflicts", [{"user": str(ml_reviewer.pk), "reason": ""}]),
    )
    response = client.post(url("create", conference), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in html  # the conflict's reason
    assert "The abstract has 301 words" in html
    assert not Submission.objects.exists()


def test_required_track_question_is_reported_once(client, conference, author):
    track = conference.tracks.get(slug="research")
    question = factories.ExtraFieldFactory(
        track=track, label="Artifact URL", kind="text", required=True
    )
    client.force_login(author)
    response = client.post(url("create", conference), _create_data(conference, author))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_extra_{question.pk}_error"' in html
    assert html.count("This field is required.") == 1
    assert "This question needs an answer." not in html
    assert "The abstract has 301 words" in html


def test_edit_form_shows_every_problem_at_once_and_changes_nothing(client, conference, author):
    submission = register(conference, author, coauthors=[("Bob Builder", "bob@lab.example.org")])
    before = (submission.title, submission.abstract, submission.version)
    client.force_login(author)
    data = edit_data(
        submission,
        title="New title",
        abstract=LONG_ABSTRACT,
        **{"authors-1-email": "bob@", "authors-0-is_contact": ""},
    )
    response = client.post(url("detail", conference, number=submission.number), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert "The abstract has 301 words" in html
    assert "Mark at least one author as a contact." in html
    assert 'value="New title"' in html and 'value="bob@"' in html
    submission.refresh_from_db()
    assert (submission.title, submission.abstract, submission.version) == before
    assert list(submission.authors.values_list("email", flat=True).order_by("order")) == [
        author.email,
        "bob@lab.example.org",
    ]


def test_create_and_edit_pages_carry_an_empty_row_for_the_add_buttons(client, conference, author):
    submission = register(conference, author)
    client.force_login(author)
    pages = [
        client.get(url("create", conference) + "?track=research"),
        client.get(url("detail", conference, number=submission.number)),
    ]
    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        assert accessibility_problems(html) == {}
        assert 'src="/static/js/formset-rows.js"' in html
        for prefix, button in (("authors", "Add author"), ("conflicts", "Add conflict")):
            assert f'data-formset="{prefix}"' in html
            assert f'name="{prefix}-__prefix__-' in html
            # A real submit button: without the script the server adds the row.
            assert re.search(
                rf'<button type="submit" name="add_row" value="{prefix}" formnovalidate'
                rf"[^>]*data-formset-add>{button}</button>",
                html,
            )
        assert (
            '<label class="visually-hidden" for="id_authors-__prefix__-email">'
            "Email of author __number__</label>"
        ) in html


def _rows(html: str, prefix: str) -> list[tuple[str, str]]:
    """(name, value) of the text inputs of each row of a formset, in order."""
    inputs = [
        e.attrs
        for e in parse(html).elements
        if e.tag in ("input", "select") and e.attrs.get("name", "").startswith(f"{prefix}-")
    ]
    return [
        (a["name"], a.get("value", ""))
        for a in inputs
        if "__prefix__" not in a["name"] and a.get("type") not in ("hidden", "checkbox")
    ]


def test_add_author_without_javascript_returns_the_page_as_typed_with_one_more_row(
    client, conference, author
):
    client.force_login(author)
    data = _create_data(conference, author, title="", add_row="authors")
    response = client.post(url("create", conference), data)
    assert response.status_code == 200
    html = response.content.decode()
    # Nothing checked, nothing saved: no error messages yet.
    assert 'class="errorlist' not in html
    assert not Submission.objects.exists()
    assert 'name="authors-TOTAL_FORMS" value="4"' in html
    emails = [v for n, v in _rows(html, "authors") if n.endswith("-email")]
    assert emails == [author.email, "bob-at-lab", "", ""]
    assert LONG_ABSTRACT.strip() in html
    for topic in topics(conference, 2):
        assert re.search(rf'name="topics" value="{topic.pk}" id="id_topics_\d+" checked', html)
    # Saving from there checks everything at once, as usual.
    data = _create_data(conference, author, title="")
    data.update({"authors-TOTAL_FORMS": "4", "authors-INITIAL_FORMS": "2"})
    response = client.post(url("create", conference), data)
    assert response.status_code == 400
    assert "Enter a valid email address." in response.text
    assert "The abstract has 301 words" in response.text


def test_add_conflict_without_javascript_on_the_edit_page_saves_nothing(
    client, conference, author, ml_reviewer
):
    submission = register(conference, author)
    client.force_login(author)
    data = edit_data(
        submission,
        title="Changed but not saved",
        add_row="conflicts",
        **formset_data("conflicts", [{"user": str(ml_reviewer.pk), "reason": "collaborator"}]),
    )
    response = client.post(url("detail", conference, number=submission.number), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="conflicts-TOTAL_FORMS" value="2"' in html
    assert 'value="Changed but not saved"' in html
    assert f'name="version" value="{submission.version}"' in html
    assert re.search(rf'<option value="{ml_reviewer.pk}" selected>', html)
    submission.refresh_from_db()
    assert submission.title == "Overlapping Communication and Computation"
    assert not submission.conflicts.exists()


def test_edit_form_with_an_added_bad_row_keeps_the_untouched_authors_in_the_checks(
    client, conference, author
):
    submission = register(conference, author, coauthors=[("Bob Builder", "bob@lab.example.org")])
    client.force_login(author)
    data = edit_data(submission, abstract=LONG_ABSTRACT)
    data.update(
        {
            "authors-TOTAL_FORMS": "3",
            "authors-2-name": "Cy Coauthor",
            "authors-2-email": "cy-at-lab",
            "authors-2-ORDER": "3",
        }
    )
    response = client.post(url("detail", conference, number=submission.number), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert "The abstract has 301 words" in html
    # The unchanged rows (the author herself, a contact) still count.
    assert "You cannot remove yourself from the author list." not in html
    assert "Mark at least one author as a contact." not in html
    assert html.count('class="errorlist') == 2

"""Issue-8 journey in a real browser: an author adds author rows without a page load, submits
with a bad co-author email and no title, sees both problems at once with everything typed
kept, fixes them and registers the paper."""

import re

import pytest

from submissions.models import Submission
from tests import factories
from tests.e2e.helpers import login, mark_page, same_page, shot

pytestmark = pytest.mark.e2e

ABSTRACT = "We overlap communication with computation in a tensor compiler and train faster."


def test_author_adds_rows_sees_every_error_at_once_and_registers(page, live_server):
    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    author = factories.UserFactory(
        name="Ada Author", email="ada@uni.example.edu", affiliation="Uni of Examples"
    )
    login(page, author.email)
    page.goto(f"/c/{conference.slug}/submissions/new/?track=research")
    page.get_by_role("heading", name="Register a new submission").wait_for()
    author_rows = page.locator("fieldset.authors tbody tr")
    assert author_rows.count() == 3
    # Without the script the button stays hidden; with it the "save for more rows" hint goes.
    assert "save to get more empty rows" not in page.locator("fieldset.authors").inner_text()

    mark_page(page)
    add = page.get_by_role("button", name="Add author")
    add.click()
    add.click()
    assert author_rows.count() == 5
    assert same_page(page)  # no page load
    assert page.locator("#id_authors-TOTAL_FORMS").input_value() == "5"
    # Each new row is labelled like the others; the last one added has the focus.
    assert page.get_by_label("Name of author 5").evaluate("el => el === document.activeElement")

    page.get_by_label(re.compile(r"^Abstract")).fill(ABSTRACT)
    page.get_by_role("checkbox", name="Compilers").check()
    page.get_by_label("Name of author 2").fill("Bob Builder")
    page.get_by_label("Email of author 2").fill("bob@lab.example.org")
    page.get_by_label("Name of author 5").fill("Cy Coauthor")
    page.get_by_label("Email of author 5").fill("cy-at-lab")
    page.get_by_label("Affiliation of author 5").fill("Cy Lab")
    page.get_by_role("button", name="Register submission").click()

    # Both problems at once; nothing typed is lost, the added rows included.
    page.locator("#id_title_error").wait_for()
    assert "This field is required." in page.locator("#id_title_error").inner_text()
    email_error = page.locator("#id_authors-4-email_error")
    assert "Enter a valid email address." in email_error.inner_text()
    assert author_rows.count() == 5
    assert page.get_by_label(re.compile(r"^Abstract")).input_value() == ABSTRACT
    assert page.get_by_role("checkbox", name="Compilers").is_checked()
    assert page.get_by_label("Name of author 2").input_value() == "Bob Builder"
    assert page.get_by_label("Name of author 5").input_value() == "Cy Coauthor"
    assert page.get_by_label("Email of author 5").input_value() == "cy-at-lab"
    assert page.get_by_label("Affiliation of author 5").input_value() == "Cy Lab"
    assert not Submission.objects.exists()
    shot(page, "issue8-forms-01-all-errors")

    page.get_by_label(re.compile(r"^Title")).fill("Tensor compilers")
    page.get_by_label("Email of author 5").fill("cy@lab.example.org")
    page.get_by_role("button", name="Register submission").click()
    page.get_by_role("heading", name="#1 Tensor compilers").wait_for()
    submission = Submission.objects.get()
    assert list(submission.authors.order_by("order").values_list("name", "email")) == [
        ("Ada Author", "ada@uni.example.edu"),
        ("Bob Builder", "bob@lab.example.org"),
        ("Cy Coauthor", "cy@lab.example.org"),
    ]
    assert list(submission.topics.values_list("name", flat=True)) == ["Compilers"]


def test_without_javascript_add_author_reloads_with_a_row_and_enter_still_registers(
    browser, live_server
):
    conference = factories.conference_in_submission_phase(slug="mlsys2027", name="MLSys 2027")
    author = factories.UserFactory(name="Ada Author", email="ada@uni.example.edu")
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        login(page, author.email)
        page.goto(f"/c/{conference.slug}/submissions/new/?track=research")
        page.get_by_label(re.compile(r"^Abstract")).fill(ABSTRACT)
        page.get_by_label("Name of author 2").fill("Bob Builder")
        page.get_by_label("Email of author 2").fill("bob@lab.example.org")
        page.get_by_role("button", name="Add author").click()
        # The server sent the page back with a fourth row, keeping what was typed.
        page.get_by_label("Name of author 4").wait_for()
        assert page.locator("fieldset.authors tbody tr").count() == 4
        assert page.get_by_label(re.compile(r"^Abstract")).input_value() == ABSTRACT
        assert page.get_by_label("Email of author 2").input_value() == "bob@lab.example.org"
        assert page.locator(".errorlist").count() == 0
        assert not Submission.objects.exists()
        page.get_by_label("Name of author 4").fill("Cy Coauthor")
        page.get_by_label("Email of author 4").fill("cy@lab.example.org")
        page.get_by_role("checkbox", name="Compilers").check()
        # Enter in a text box saves (the form's default button), it does not add a row.
        page.get_by_label(re.compile(r"^Title")).fill("Tensor compilers")
        page.get_by_label(re.compile(r"^Title")).press("Enter")
        page.get_by_role("heading", name="#1 Tensor compilers").wait_for()
        submission = Submission.objects.get()
        assert list(submission.authors.order_by("order").values_list("email", flat=True)) == [
            "ada@uni.example.edu",
            "bob@lab.example.org",
            "cy@lab.example.org",
        ]
    finally:
        context.close()

"""Chairs edit email templates per conference (mail:templates, mail:template_edit, reset)."""

import pytest
from django.urls import reverse

from mlsys.core.models import AuditEvent
from mlsys.mail.models import EmailTemplate
from mlsys.mail.services import queue_email
from tests import factories

KEY = "reviews.review_reminder"


def edit_url(conference, key=KEY):
    return reverse("mail:template_edit", kwargs={"conference": conference.slug, "key": key})


def test_list_shows_registered_templates_with_placeholders(client, conference, chair):
    client.force_login(chair)

    html = client.get(
        reverse("mail:templates", kwargs={"conference": conference.slug})
    ).content.decode()

    assert KEY in html and "reviews.response_submitted" in html
    assert "<code>{deadline}</code>" in html


def test_chair_saves_an_override_that_is_then_used(
    client, conference, chair, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(chair)

    response = client.post(
        edit_url(conference), {"subject": "Nudge {name}", "body": "Due {deadline}: {papers}"}
    )

    assert response.status_code == 302
    row = EmailTemplate.objects.get(conference=conference, key=KEY)
    assert (row.subject, row.body) == ("Nudge {name}", "Due {deadline}: {papers}")
    assert AuditEvent.objects.filter(action="mail.template_changed", actor=chair).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(
            to=["x@example.org"],
            key=KEY,
            conference=conference,
            context={"name": "Mia", "deadline": "Friday", "papers": "#1"},
        )
    assert (mailoutbox[0].subject, mailoutbox[0].body) == ("Nudge Mia", "Due Friday: #1")


def test_unknown_placeholders_are_refused_field_by_field(client, conference, chair):
    factories.EmailTemplateFactory(conference=conference, key=KEY, subject="Old {name}", body="Old")
    client.force_login(chair)

    response = client.post(
        edit_url(conference), {"subject": "Hi {nmae}", "body": "See {author_names}"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Unknown placeholder: {nmae}." in html
    assert "Unknown placeholder: {author_names}." in html
    row = EmailTemplate.objects.get(conference=conference, key=KEY)
    assert (row.subject, row.body) == ("Old {name}", "Old")


def test_reset_returns_to_the_default(client, conference, chair):
    factories.EmailTemplateFactory(conference=conference, key=KEY, subject="Custom", body="Custom")
    client.force_login(chair)

    response = client.post(
        reverse("mail:template_reset", kwargs={"conference": conference.slug, "key": KEY})
    )

    assert response.status_code == 302
    assert not EmailTemplate.objects.exists()
    assert AuditEvent.objects.filter(action="mail.template_reset").count() == 1
    assert (
        "Your reviews for {conference_name} are due"
        in client.get(edit_url(conference)).content.decode()
    )


def test_override_of_one_conference_does_not_touch_another(client, conference, chair):
    other = factories.conference_in_submission_phase(slug="other2027")
    client.force_login(chair)

    client.post(edit_url(conference), {"subject": "Mine", "body": "Mine"})

    assert EmailTemplate.objects.filter(conference=other).count() == 0


def test_unknown_template_key_is_404(client, conference, chair):
    client.force_login(chair)

    assert client.get(edit_url(conference, "no.such.template")).status_code == 404


@pytest.mark.parametrize("who", ["ml_reviewer", "author", "outsider"])
def test_non_chairs_get_404(client, conference, who, request):
    client.force_login(request.getfixturevalue(who))

    assert (
        client.get(reverse("mail:templates", kwargs={"conference": conference.slug})).status_code
        == 404
    )
    assert client.post(edit_url(conference), {"subject": "x", "body": "y"}).status_code == 404
    assert not EmailTemplate.objects.exists()


def test_anonymous_is_sent_to_log_in(client, conference):
    assert client.get(edit_url(conference)).status_code == 302


def test_only_chairs_hold_the_permissions_on_mail_rows(conference, chair, ml_reviewer, outsider):
    """Declared by conferences (which knows the roles), not by mail's models."""
    template = factories.EmailTemplateFactory(conference=conference, key=KEY, subject="s", body="b")
    email = queue_email(to=["x@example.org"], key=KEY, conference=conference, context={})

    for perm, obj in [
        ("mail.view_emailtemplate", template),
        ("mail.change_emailtemplate", template),
        ("mail.view_outboundemail", email),
    ]:
        assert chair.has_perm(perm, obj)
        assert not ml_reviewer.has_perm(perm, obj)
        assert not outsider.has_perm(perm, obj)

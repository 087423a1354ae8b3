"""Chairs' per-conference wording of the registered email templates (writes, audited).

Invariant: an override uses only the placeholders its template documents, so a rendered email
never shows a stray ``{name}`` (mlsys.mail.services.render leaves unknown names as written).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import pluralize

from mlsys.core import audit
from mlsys.mail import defaults
from mlsys.mail.models import EmailTemplate
from mlsys.mail.services import unknown_placeholders

#: Placeholders that list several papers (a reviewer's papers, what changed in their
#: assignments, an artifact evaluator's artifacts). An email about several papers has no single
#: paper number, so the chairs' outbox shows its subject and recipient to every chair,
#: conflicted or not: in a subject these would name a conflicted paper beside its reviewer. They
#: stay allowed in the body, which the outbox never shows.
NOT_IN_SUBJECT = frozenset({"papers", "changes", "artifacts"})


def check_placeholders(key: str, *, subject: str, body: str) -> None:
    """Raise ValidationError({field: message}) naming any placeholder the template lacks, or
    one of :data:`NOT_IN_SUBJECT` in the subject."""
    allowed = defaults.get(key).placeholders
    errors = {}
    for name, text in (("subject", subject), ("body", body)):
        unknown = unknown_placeholders(text, allowed)
        if unknown:
            listed = ", ".join("{" + u + "}" for u in sorted(unknown))
            errors[name] = (
                f"Unknown placeholder{pluralize(len(unknown))}: {listed}. Use only the ones listed."
            )
    listing = sorted(NOT_IN_SUBJECT & unknown_placeholders(subject, ()))
    if listing and "subject" not in errors:
        listed = ", ".join("{" + u + "}" for u in listing)
        errors["subject"] = (
            f"{listed} list{'s' if len(listing) == 1 else ''} several papers and may be used in "
            "the body only: the subject is shown on the outbox page to every chair."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_override(conference, key: str, *, subject: str, body: str, actor) -> EmailTemplate:
    """Create or update the conference's wording of ``key``. KeyError for an unregistered key."""
    defaults.get(key)
    subject = " ".join(subject.split())
    check_placeholders(key, subject=subject, body=body)
    row = (
        EmailTemplate.objects.select_for_update(of=("self",))
        .filter(conference=conference, key=key)
        .first()
    )
    before = audit.snapshot(row, ["subject", "body"]) if row else {"subject": None, "body": None}
    if row is None:
        row = EmailTemplate.objects.create(
            conference=conference, key=key, subject=subject, body=body
        )
    else:
        row.subject, row.body = subject, body
        row.save(update_fields=["subject", "body", "updated_at"])
    changes = audit.diff(before, row)
    if changes:
        audit.record(
            "mail.template_changed", actor=actor, target=row, conference=conference, changes=changes
        )
    return row


@transaction.atomic
def reset_override(conference, key: str, *, actor) -> bool:
    """Drop the conference's wording of ``key`` (the default applies again). True if one existed."""
    row = (
        EmailTemplate.objects.select_for_update(of=("self",))
        .filter(conference=conference, key=key)
        .first()
    )
    if row is None:
        return False
    audit.record(
        "mail.template_reset",
        actor=actor,
        target=row,
        conference=conference,
        changes={"subject": [row.subject, None], "body": [row.body, None]},
    )
    row.delete()
    return True

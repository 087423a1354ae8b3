"""Email templates of the committee: invitations and their reminders.

Imported from :meth:`ConferencesConfig.ready`, so the keys exist before any email is queued and
chairs can override the wording per conference on the mail pages.
"""

from mlsys.mail.defaults import register

INVITATION = "committee.invitation"
INVITATION_REMINDER = "committee.invitation_reminder"

PLACEHOLDERS = (
    "name",
    "email",
    "role",
    "side",
    "max_load",
    "details",
    "inviter",
    "conference",
    "conference_name",
    "invitation_url",
    "accept_url",
    "decline_url",
)

register(
    INVITATION,
    description="Invitation to join a committee, with accept/decline links.",
    subject="[{conference}] Invitation to serve as {role}",
    body="""
Dear {name},

On behalf of the program chairs, {inviter} invites you to serve as {role} for {conference_name}.
{details}

Accept:  {accept_url}
Decline: {decline_url}

Declining needs no account. To accept, log in with {email} (or set a password on the
accept page if you have never used this system).

Thank you,
The {conference} chairs
""",
    placeholders=PLACEHOLDERS,
)

register(
    INVITATION_REMINDER,
    description="Reminder of a committee invitation that is still unanswered.",
    subject="[{conference}] Reminder: invitation to serve as {role}",
    body="""
Dear {name},

A reminder that {inviter} invited you to serve as {role} for {conference_name}, and we
have not heard back yet. {details} Please let us know either way:

Accept:  {accept_url}
Decline: {decline_url}

Thank you,
The {conference} chairs
""",
    placeholders=PLACEHOLDERS,
)

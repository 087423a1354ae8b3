"""The decision letters (registered from DecisionsConfig.ready; chairs edit them per conference
on the email templates page). One template per outcome kind: a paper's letter uses the one of
its outcome's kind (``LETTER_KEYS``).

``{reviews}`` holds only the answers authors may read, under "Reviewer A/B/…" (never a name);
``{meta_review}`` the submitted meta-review's summary (or a line saying there is none)."""

from decisions.enums import OutcomeKind
from mlsys.mail.defaults import register

ACCEPT_KEY = "decisions.letter_accept"
REJECT_KEY = "decisions.letter_reject"
#: The letter template of each outcome kind.
LETTER_KEYS: dict[str, str] = {OutcomeKind.ACCEPT: ACCEPT_KEY, OutcomeKind.REJECT: REJECT_KEY}
PLACEHOLDERS = (
    "conference",
    "conference_name",
    "name",
    "number",
    "title",
    "decision",
    "meta_review",
    "reviews",
    "url",
)

register(
    ACCEPT_KEY,
    description="Decision letter for an accepted paper, to each author (held for the chairs "
    "to review, then sent in bulk from the decision letters page).",
    subject="[{conference}] Paper #{number} accepted: {title}",
    body="""
Dear {name},

We are pleased to tell you that your paper #{number} "{title}" has been accepted to
{conference_name}. Decision: {decision}.

Meta-review:
{meta_review}

Reviews:
{reviews}

The decision, the reviews and a PDF of this letter are on your submission's page:
{url}

Congratulations,
The {conference} chairs
""",
    placeholders=PLACEHOLDERS,
)

register(
    REJECT_KEY,
    description="Decision letter for a rejected paper, to each author (held for the chairs "
    "to review, then sent in bulk from the decision letters page).",
    subject="[{conference}] Decision on paper #{number}: {title}",
    body="""
Dear {name},

Thank you for submitting paper #{number} "{title}" to {conference_name}. We regret to tell you
that it was not accepted this year. Decision: {decision}.

Meta-review:
{meta_review}

Reviews:
{reviews}

The decision, the reviews and a PDF of this letter are on your submission's page:
{url}

With best regards,
The {conference} chairs
""",
    placeholders=PLACEHOLDERS,
)

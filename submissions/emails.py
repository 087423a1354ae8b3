"""Email templates of the submission flow (registered at start-up from SubmissionsConfig.ready)."""

from mlsys.mail.defaults import register

register(
    "submissions.receipt",
    description="Receipt to every author when a submission's status changes (submitted, "
    "withdrawn, revived, desk-rejected, …).",
    subject="[{conference}] #{number} {event}",
    body="""
Submission #{number} to {conference_name} was {event}.

Title:   {title}
Track:   {track}
Status:  {status}{reason_line}

Paper PDF: {paper_name}
SHA-256:   {paper_sha256}
Pages:     {paper_pages}
Check:     {check_summary}

See and manage the submission: {url}

Every author of the submission receives this receipt. Deadlines are Anywhere on Earth (AoE).
--
The {conference} chairs
""",
    placeholders=(
        "conference",
        "conference_name",
        "number",
        "event",
        "title",
        "track",
        "status",
        "reason",
        "reason_line",
        "paper_name",
        "paper_sha256",
        "paper_pages",
        "check_summary",
        "url",
    ),
)

register(
    "submissions.coauthor_added",
    description="Tells a person they were added as a co-author of a submission.",
    subject="[{conference}] You were added as a co-author of #{number}",
    body="""
Dear {name},

{added_by} added you as a co-author of submission #{number} to {conference_name}:

  {title}

{account_hint}
{url}

If you are not an author of this paper, please tell {added_by} or the chairs.
--
The {conference} chairs
""",
    placeholders=(
        "conference",
        "conference_name",
        "name",
        "added_by",
        "number",
        "title",
        "url",
        "account_hint",
    ),
)

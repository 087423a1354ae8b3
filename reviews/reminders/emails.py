"""Email templates of the review reminders (registered from ReviewsConfig.ready; chairs can
override each per conference)."""

from mlsys.mail.defaults import register

_REMINDER_PLACEHOLDERS = (
    "conference",
    "conference_name",
    "name",
    "count",
    "review_count",
    "count_were",
    "papers",
    "deadline",
    "url",
)

register(
    "reviews.review_reminder",
    description="Reminder before the review deadline to reviewers with unfinished reviews.",
    subject="[{conference}] Reminder: {review_count} due {deadline}",
    body="""
Dear {name},

Your reviews for {conference_name} are due {deadline}. These are not submitted yet:

{papers}

Drafts are saved as you type; submit each review when it is complete:
{url}

Thank you for reviewing.
--
The {conference} chairs
""",
    placeholders=_REMINDER_PLACEHOLDERS,
)

register(
    "reviews.review_overdue",
    description="Reminder after the review deadline to reviewers with unfinished reviews.",
    subject="[{conference}] Overdue: {review_count} {count_were} due {deadline}",
    body="""
Dear {name},

The review deadline of {conference_name} ({deadline}) has passed and these reviews are still
not submitted:

{papers}

The discussion and the authors are waiting for them. Please submit them as soon as you can,
or tell the chairs if you cannot:
{url}

--
The {conference} chairs
""",
    placeholders=_REMINDER_PLACEHOLDERS,
)

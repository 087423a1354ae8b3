"""Email templates of the author response, discussion leads and review reminders
(registered from ReviewsConfig.ready; chairs can override each per conference)."""

from mlsys.mail.defaults import register

register(
    "reviews.response_submitted",
    description="Sent to each reviewer of a paper when its authors submit or update a response.",
    subject="[{conference}] Paper #{number}: the authors {action}",
    body="""
Dear {name},

The authors of paper #{number} "{title}" {action} to the reviews.

Read it on the paper's reviewing page, next to the reviews it answers:
{url}

If it changes your assessment, update your review (the change is marked as made after the
response):
{review_url}

--
The {conference} chairs
""",
    placeholders=(
        "conference",
        "conference_name",
        "name",
        "number",
        "title",
        "action",
        "url",
        "review_url",
    ),
)

register(
    "reviews.lead_assigned",
    description="Sent to a PC member or area chair who becomes discussion lead of papers.",
    subject="[{conference}] You lead the discussion of {paper_count}",
    body="""
Dear {name},

The {conference_name} program chairs asked you to lead the discussion of:

{papers}

As discussion lead you make sure the reviewers converge, and you write the meta-review
(a summary for the authors, a recommendation and your confidence) once discussion has started.
The papers you lead, with their meta-reviews, are listed at:
{url}

--
The {conference} chairs
""",
    placeholders=(
        "conference",
        "conference_name",
        "name",
        "count",
        "paper_count",
        "papers",
        "url",
    ),
)

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

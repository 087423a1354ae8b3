"""Email template of the author response (registered from ReviewsConfig.ready; chairs can
override it per conference)."""

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

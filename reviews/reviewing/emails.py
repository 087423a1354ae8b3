"""Email templates of writing reviews (registered from ReviewsConfig.ready)."""

from mlsys.mail.defaults import register

register(
    "reviews.assignment_declined",
    description="To the chairs (not conflicted with the paper) when a reviewer declines it.",
    subject="[{conference}] {reviewer} declined paper #{number}",
    body="""
{reviewer} declined to review paper #{number} “{title}”.

Their reason:
{reason}

The paper may need another reviewer: {url}
--
{conference_name}
""",
    placeholders=("conference", "conference_name", "reviewer", "number", "title", "reason", "url"),
)

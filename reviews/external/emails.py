"""Email templates of external reviewer requests (registered from ReviewsConfig.ready)."""

from mlsys.mail.defaults import register

register(
    "reviews.external_requested",
    description="To the chairs when a reviewer asks for an external expert on a paper.",
    subject="[{conference}] External reviewer requested for #{number}",
    body="""
{requester} asks that {expert} review paper #{number} “{title}”.

Why:
{reason}

Approve or decline: {url}
--
{conference_name}
""",
    placeholders=(
        "conference",
        "conference_name",
        "requester",
        "expert",
        "number",
        "title",
        "reason",
        "url",
    ),
)

register(
    "reviews.external_invitation",
    description="To an approved external expert: their account and the paper to review.",
    subject="[{conference}] Invitation to review paper #{number}",
    body="""
Dear {name},

The program chairs of {conference_name} invite you to review one paper as an external
expert: #{number} “{title}”.

{account_step}

Then open the paper and the review form here: {review_url}

You will see only this paper. Please keep it and your review confidential.
--
The {conference} chairs
""",
    placeholders=(
        "conference",
        "conference_name",
        "name",
        "number",
        "title",
        "account_step",
        "review_url",
    ),
)

register(
    "reviews.external_approved",
    description="To the reviewer who asked for an external expert, when the chairs approve.",
    subject="[{conference}] External reviewer approved for #{number}",
    body="""
Dear {name},

The chairs approved your request: {expert} has been invited to review paper #{number}
“{title}”.
--
The {conference} chairs
""",
    placeholders=("conference", "conference_name", "name", "expert", "number", "title"),
)

register(
    "reviews.external_declined",
    description="To the reviewer who asked for an external expert, when the chairs decline.",
    subject="[{conference}] External reviewer request for #{number} declined",
    body="""
Dear {name},

The chairs declined your request that {expert} review paper #{number} “{title}”.

Note from the chairs: {note}
--
The {conference} chairs
""",
    placeholders=("conference", "conference_name", "name", "expert", "number", "title", "note"),
)

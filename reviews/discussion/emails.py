"""Email templates of the paper discussion (registered from ReviewsConfig.ready).

Every one of them goes only to people who may read the comment it quotes (see
reviews.discussion.services): never to a conflicted member, never to the comment's author.
"""

from mlsys.mail.defaults import register

PLACEHOLDERS = (
    "conference",
    "conference_name",
    "name",
    "number",
    "title",
    "commenter",
    "audience",
    "body",
    "url",
)

register(
    "reviews.comment_mention",
    description="Sent to a committee member mentioned (@handle) in a comment they may read.",
    subject="[{conference}] #{number}: {commenter} mentioned you",
    body="""
Dear {name},

{commenter} mentioned you in the discussion of paper #{number} "{title}".
Visible to: {audience}.

{body}

Read and reply: {url}
--
The {conference} chairs
""",
    placeholders=PLACEHOLDERS,
)

register(
    "reviews.comment_posted",
    description="Sent to the followers of a paper for each new comment they may read.",
    subject="[{conference}] #{number}: new comment by {commenter}",
    body="""
Dear {name},

{commenter} commented on paper #{number} "{title}", which you follow.
Visible to: {audience}.

{body}

Read and reply: {url}
Stop following the paper on that page to stop these emails.
--
The {conference} chairs
""",
    placeholders=PLACEHOLDERS,
)

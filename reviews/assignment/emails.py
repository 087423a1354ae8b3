"""Email templates of reviewer assignment (registered from ReviewsConfig.ready).

Assignment emails go out only once the chairs release assignments: the release sends each
reviewer their list; later changes to released assignments send the updated list.
"""

from mlsys.mail.defaults import register

register(
    "reviews.assignments_released",
    description="Sent to each reviewer when the chairs release assignments: their papers.",
    subject="[{conference}] Your papers to review",
    body="""
Dear {name},

The {conference_name} program chairs have released review assignments. You have
{paper_count} to review:

{papers}

See them, with abstracts and files: {url}

Thank you for reviewing.
--
The {conference} chairs
""",
    placeholders=("conference", "conference_name", "name", "count", "paper_count", "papers", "url"),
)

register(
    "reviews.assignments_changed",
    description="Sent to a reviewer when the chairs change their released assignments.",
    subject="[{conference}] Your review assignments changed",
    body="""
Dear {name},

The {conference_name} program chairs changed your review assignments.

{changes}

Your papers now ({count}):

{papers}

See them: {url}
--
The {conference} chairs
""",
    placeholders=("conference", "conference_name", "name", "changes", "count", "papers", "url"),
)

register(
    "reviews.assignment_removed_work_kept",
    description="Sent to a reviewer the chairs removed from a paper they had already worked "
    "on: the review is kept.",
    subject="[{conference}] You were removed from paper {paper}",
    body="""
Dear {name},

The {conference_name} program chairs removed you as a reviewer of {paper}.
Your review and your comments on it are kept: nothing you wrote is deleted, and the chairs
can still read it. You no longer have access to the paper's reviewing pages.

Your papers now ({count}):

{papers}

See them: {url}
--
The {conference} chairs
""",
    placeholders=("conference", "conference_name", "name", "paper", "count", "papers", "url"),
)

"""Email template of discussion leads (registered from ReviewsConfig.ready; chairs can
override it per conference)."""

from mlsys.mail.defaults import register

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

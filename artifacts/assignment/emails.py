"""Email templates of bidding and assignment (registered from ArtifactsConfig.ready; chairs
can override each per conference)."""

from mlsys.mail.defaults import register

register(
    "artifacts.evaluator_assigned",
    description="To an AE evaluator when artifacts are assigned to them (their current list).",
    subject="[{conference}] Your artifacts to evaluate",
    body="""
Dear {name},

The artifact evaluation chairs of {conference_name} assigned artifacts to you. Your list now:

{artifacts}

The authors know you only as "Evaluator" and your letter. Your artifacts, their access
details and what to do next:
{url}

--
The {conference} artifact evaluation chairs
""",
    placeholders=("conference", "conference_name", "name", "artifacts", "url"),
)

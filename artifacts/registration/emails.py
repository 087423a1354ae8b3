"""Emails of the authors' side (registered from ArtifactsConfig.ready): the invitation sent when
the paper's acceptance is released. The status moves' emails (submitted, returned with the AE
chair's note, withdrawn) are artifacts/emails.py's. No email carries the access credentials."""

from mlsys.mail.defaults import register

register(
    "artifacts.invitation",
    description="To the authors of each accepted paper when decisions are released, if the "
    "conference runs artifact evaluation.",
    subject="[{conference}] Register the artifact of #{number} for evaluation",
    body="""
Dear authors,

Congratulations on the acceptance of #{number} “{title}” at {conference_name}.

{conference_name} evaluates the artifacts (code, data, models) of accepted papers and awards
badges that appear on the paper. If you would like your artifact evaluated, register it here
{deadline}:
{url}

The registration is pre-filled from your paper: choose the badges you request, give the
repository and an immutable version (a commit hash or a release tag), the DOI, the licence and
what the evaluators need to run it.

--
The {conference} artifact evaluation chairs
""",
    placeholders=("conference", "conference_name", "number", "title", "url", "deadline"),
)

"""Email templates of the artifact's status moves (artifacts.status.EMAILS; registered from
ArtifactsConfig.ready; chairs can override each per conference). Evaluators are never named in
an email to authors, and no email carries the access secret: it stays on the artifact page."""

from mlsys.mail.defaults import register

_ARTIFACT = ("conference", "conference_name", "number", "title", "url", "note")
_SIGN = """
--
The {conference} artifact evaluation chairs
"""

register(
    "artifacts.submitted",
    description="To the authors when their artifact is submitted for evaluation.",
    subject="[{conference}] Artifact of #{number} submitted",
    body="""
Dear authors,

The artifact of your paper #{number} “{title}” is submitted for evaluation at
{conference_name}. The automatic checks of your repository and DOI, and later the evaluators'
questions, appear on its page:
{url}
"""
    + _SIGN,
    placeholders=_ARTIFACT,
)

register(
    "artifacts.returned",
    description="To the authors when the AE chairs return the artifact for changes.",
    subject="[{conference}] Artifact of #{number} returned for changes",
    body="""
Dear authors,

The artifact evaluation chairs returned the artifact of #{number} “{title}” to you before
evaluation:

{note}

Change it and submit it again here:
{url}
"""
    + _SIGN,
    placeholders=_ARTIFACT,
)

register(
    "artifacts.awaiting_author",
    description="To the authors when the evaluators post their kick-the-tires message.",
    subject="[{conference}] Evaluators of #{number} need your answer",
    body="""
Dear authors,

The evaluators of the artifact of #{number} “{title}” tried it out (kick-the-tires) and posted
their questions. Read them, fix what they found and answer on the artifact's page:
{url}
"""
    + _SIGN,
    placeholders=_ARTIFACT,
)

register(
    "artifacts.kick_the_tires_open",
    description="To each evaluator when kick-the-tires starts on an artifact they evaluate.",
    subject="[{conference}] Kick-the-tires: artifact of #{number}",
    body="""
Dear evaluator,

Kick-the-tires has started on the artifact of #{number} “{title}”. Install it, try a minimal
run, fill the short checklist and agree with the other evaluators on one message to the
authors:
{url}
"""
    + _SIGN,
    placeholders=_ARTIFACT,
)

register(
    "artifacts.authors_answered",
    description="To each evaluator when the authors answer the kick-the-tires message.",
    subject="[{conference}] Authors of #{number} answered",
    body="""
Dear evaluator,

The authors of #{number} “{title}” answered your kick-the-tires message. Their answer is on the
artifact's page:
{url}
"""
    + _SIGN,
    placeholders=_ARTIFACT,
)

register(
    "artifacts.evaluation_open",
    description="To each evaluator when the full evaluation of an artifact starts.",
    subject="[{conference}] Full evaluation: artifact of #{number}",
    body="""
Dear evaluator,

The full evaluation of the artifact of #{number} “{title}” has started. Give a verdict with a
justification for each badge the authors requested:
{url}
"""
    + _SIGN,
    placeholders=_ARTIFACT,
)

register(
    "artifacts.discussion_open",
    description="To each evaluator when the evaluations are in and the discussion starts.",
    subject="[{conference}] Discussion: artifact of #{number}",
    body="""
Dear evaluator,

The evaluations of the artifact of #{number} “{title}” are in. Discuss the badges with the
other evaluators; the discussion lead proposes the final badges:
{url}
"""
    + _SIGN,
    placeholders=_ARTIFACT,
)

register(
    "artifacts.published",
    description="To the authors when the badges of their artifact are published.",
    subject="[{conference}] Artifact badges for #{number}",
    body="""
Dear authors,

The artifact evaluation of #{number} “{title}” is complete.

Badges awarded: {badges}

{report}

The evaluators' report and your badges:
{url}
"""
    + _SIGN,
    placeholders=(*_ARTIFACT, "badges", "report"),
)

register(
    "artifacts.withdrawn",
    description="To each evaluator when an artifact they evaluate is withdrawn.",
    subject="[{conference}] Artifact of #{number} withdrawn",
    body="""
Dear evaluator,

The artifact of #{number} “{title}” was withdrawn from the evaluation. There is nothing more to
do for it.

{url}
"""
    + _SIGN,
    placeholders=_ARTIFACT,
)

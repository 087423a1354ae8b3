"""Email templates of the evaluation: a new message in one of the artifact's threads.

Authors get one email from "The evaluators" or "The AE chairs" — never an evaluator's name
or address, in the headers or the body; each evaluator gets their own email (no evaluator
learns another's address from a header)."""

from mlsys.mail.defaults import register

_MESSAGE = ("conference", "conference_name", "number", "title", "url", "sender", "body")
_SIGN = """
--
The {conference} artifact evaluation chairs
"""

register(
    "artifacts.message_to_authors",
    description="To the authors when the evaluators or the AE chairs write in the artifact's "
    "thread. The sender is an alias (“Evaluator A”), never a name.",
    subject="[{conference}] New message about the artifact of #{number}",
    body="""
Dear authors,

{sender} wrote about the artifact of #{number} “{title}”:

{body}

Answer on the artifact's page:
{url}
"""
    + _SIGN,
    placeholders=_MESSAGE,
)

register(
    "artifacts.message_to_evaluator",
    description="To each evaluator of an artifact when someone writes in one of its threads "
    "(the authors' thread or the evaluators-only thread).",
    subject="[{conference}] New message about the artifact of #{number}",
    body="""
Dear evaluator,

{sender} wrote in the {thread} thread of the artifact of #{number} “{title}”:

{body}

Read and answer on the artifact's page:
{url}
"""
    + _SIGN,
    placeholders=(*_MESSAGE, "thread"),
)

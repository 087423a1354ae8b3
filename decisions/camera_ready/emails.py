"""Email templates of the camera-ready phase (registered from DecisionsConfig.ready; chairs can
override each per conference)."""

from mlsys.mail.defaults import register

_PAPER = ("conference", "conference_name", "number", "title", "url")

register(
    "decisions.camera_ready_reminder",
    description="Reminder to the authors of an incomplete camera-ready before its deadline.",
    subject="[{conference}] Camera-ready of #{number} due {deadline}",
    body="""
Dear authors,

The camera-ready version of your paper #{number} “{title}” for {conference_name} is due
{deadline} ({days} days left). Still missing:

{missing}

Finish it here:
{url}

--
The {conference} chairs
""",
    placeholders=(*_PAPER, "deadline", "days", "missing"),
)

register(
    "decisions.shepherd_assigned",
    description="To a PC member a chair made shepherd of an accepted paper.",
    subject="[{conference}] You shepherd #{number}",
    body="""
Dear {name},

The chairs of {conference_name} asked you to shepherd the accepted paper #{number} “{title}”:
check that its camera-ready version addresses the reviewers' requests, then approve it or
ask the authors for changes:
{url}

--
The {conference} chairs
""",
    placeholders=(*_PAPER, "name"),
)

register(
    "decisions.shepherd_verdict",
    description="To the authors when their shepherd approves the camera-ready or asks for changes.",
    subject="[{conference}] Your shepherd {verdict} the camera-ready of #{number}",
    body="""
Dear authors,

Your shepherd {verdict} the camera-ready version of #{number} “{title}”.

{comment}

Your camera-ready page:
{url}

--
The {conference} chairs
""",
    placeholders=(*_PAPER, "verdict", "comment"),
)

register(
    "decisions.shepherd_new_version",
    description="To the shepherd when the authors upload a new camera-ready version.",
    subject="[{conference}] New camera-ready version of #{number}",
    body="""
Dear {name},

The authors of #{number} “{title}” uploaded a new camera-ready version ({file_name}). Its check
runs now; the report and the version are on the paper's camera-ready page, where you can
approve it or ask for changes:
{url}

--
The {conference} chairs
""",
    placeholders=(*_PAPER, "name", "file_name"),
)

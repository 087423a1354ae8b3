from django.db import models


class Area(models.TextChoices):
    ML = "ML", "Machine learning"
    SYSTEMS = "SYSTEMS", "Systems"


class Side(models.TextChoices):
    ML = "ML", "ML"
    SYSTEMS = "SYSTEMS", "Systems"
    BOTH = "BOTH", "Both"


class Role(models.TextChoices):
    PROGRAM_CHAIR = "program_chair", "Program chair"
    PC_MEMBER = "pc_member", "PC member"
    AREA_CHAIR = "area_chair", "Area chair"
    EXTERNAL_REVIEWER = "external_reviewer", "External reviewer"
    AE_CHAIR = "ae_chair", "AE chair"
    AE_EVALUATOR = "ae_evaluator", "AE evaluator"


#: Roles that review papers and so carry an ML/Systems side and a load.
REVIEWING_ROLES = frozenset({Role.PC_MEMBER, Role.AREA_CHAIR, Role.EXTERNAL_REVIEWER})
#: Roles whose holders sit on the program committee proper.
PC_ROLES = frozenset({Role.PROGRAM_CHAIR, Role.PC_MEMBER, Role.AREA_CHAIR})


class InvitationStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class Anonymity(models.TextChoices):
    DOUBLE_BLIND = "double_blind", "Double-blind (names, emails and affiliations hidden)"
    NAMES_HIDDEN = "names_hidden", "Author names hidden (affiliations may stay)"
    OPEN = "open", "Open (authors visible to reviewers)"


class DeadlineKind(models.TextChoices):
    """Deadlines in the order the year runs through them."""

    REGISTRATION = "registration", "Abstract registration"
    SUBMISSION = "submission", "Paper submission"
    BIDDING = "bidding", "Bidding closes"
    REVIEW = "review", "Reviews due"
    RESPONSE_OPEN = "response_open", "Author response opens"
    RESPONSE_CLOSE = "response_close", "Author response closes"
    DECISION = "decision", "Decisions released"
    CAMERA_READY = "camera_ready", "Camera-ready due"
    AE_REGISTRATION = "ae_registration", "Artifact registration"
    AE_SUBMISSION = "ae_submission", "Artifact submission"
    AE_BIDDING = "ae_bidding", "Artifact bids due"
    AE_KICK_START = "ae_kick_start", "Kick-the-tires opens"
    AE_KICK_END = "ae_kick_end", "Kick-the-tires closes"
    AE_EVALUATION = "ae_evaluation", "Artifact evaluations due"
    AE_DECISION = "ae_decision", "Artifact badge decisions"


class Phase(models.TextChoices):
    """What the conference is doing. Each phase is open between two deadlines (see phases.py)."""

    SETUP = "setup", "Setting up"
    SUBMISSION = "submission", "Submission"
    BIDDING = "bidding", "Bidding"
    REVIEWING = "reviewing", "Reviewing"
    RESPONSE = "response", "Author response"
    DISCUSSION = "discussion", "Discussion"
    CAMERA_READY = "camera_ready", "Camera-ready"
    ARTIFACT_EVALUATION = "artifact_evaluation", "Artifact evaluation"
    CLOSED = "closed", "Closed"


class PhaseMode(models.TextChoices):
    AUTO = "auto", "Follow the deadlines"
    OPEN = "open", "Open now"
    CLOSED = "closed", "Closed now"


class PaperSize(models.TextChoices):
    LETTER = "letter", "US Letter"
    A4 = "a4", "A4"
    ANY = "letter_or_a4", "Letter or A4"

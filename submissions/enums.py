from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    WITHDRAWN = "withdrawn", "Withdrawn"
    DESK_REJECTED = "desk_rejected", "Desk rejected"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


#: Submissions that are still in the running (reviewed, counted, bid on).
ACTIVE = frozenset({Status.SUBMITTED, Status.ACCEPTED, Status.REJECTED})
#: Transitions allowed for authors; chairs may additionally desk-reject and decide.
AUTHOR_TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
    Status.SUBMITTED: {Status.WITHDRAWN, Status.DRAFT},
    Status.WITHDRAWN: {Status.DRAFT, Status.SUBMITTED},
}


class FileKind(models.TextChoices):
    PAPER = "paper", "Paper"
    SUPPLEMENT = "supplement", "Supplementary material"
    CAMERA_READY = "camera_ready", "Camera-ready"
    ARTIFACT_APPENDIX = "artifact_appendix", "Artifact appendix"


class CheckStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be checked"
    PASSED = "passed", "Passed"
    WARNINGS = "warnings", "Passed with warnings"
    FAILED = "failed", "Violates the format spec"
    INVALID = "invalid", "Not a usable PDF"


#: A file in one of these states can be the submission's current version.
USABLE = frozenset({CheckStatus.PASSED, CheckStatus.WARNINGS, CheckStatus.FAILED})


class ConflictSource(models.TextChoices):
    AUTHOR_DECLARED = "author_declared", "Declared by the authors"
    REVIEWER_DECLARED = "reviewer_declared", "Declared by the reviewer"
    EMAIL_DOMAIN = "email_domain", "Same email domain"
    AFFILIATION = "affiliation", "Same institution"
    COLLABORATOR = "collaborator", "Declared collaborator"
    COAUTHORSHIP = "coauthorship", "Co-authors on another submission"
    AUTHOR = "author", "Is an author"
    CHAIR = "chair", "Set by the chairs"


#: Sources found by the detector; recomputation may add or remove their suggestions.
DETECTED = frozenset(
    {
        ConflictSource.EMAIL_DOMAIN,
        ConflictSource.AFFILIATION,
        ConflictSource.COLLABORATOR,
        ConflictSource.COAUTHORSHIP,
        ConflictSource.AUTHOR,
    }
)


class ConflictReason(models.TextChoices):
    ADVISOR = "advisor", "Advisor / advisee"
    COLLABORATOR = "collaborator", "Collaborator in the last 3 years"
    INSTITUTION = "institution", "Same institution"
    PERSONAL = "personal", "Personal relationship"
    OTHER = "other", "Other"


class ConflictState(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed"
    PINNED = "pinned", "Pinned"
    DISMISSED = "dismissed", "Dismissed"


#: States in which a conflict keeps the PC member away from the paper. Suggestions count too:
#: until a chair dismisses one, the safe answer is "conflicted".
EFFECTIVE = frozenset({ConflictState.SUGGESTED, ConflictState.CONFIRMED, ConflictState.PINNED})


class ExtraFieldKind(models.TextChoices):
    CHECKBOX = "checkbox", "Checkbox"
    CHOICE = "choice", "Choice"
    TEXT = "text", "Text"

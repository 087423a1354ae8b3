"""The artifact-evaluation models (docs/artifacts.md): configuration, artifacts, evaluation,
messages. Split by part; import them from here."""

from artifacts.models.artifact import Artifact, RequestedBadge, SmokeCheck, StampedPaper
from artifacts.models.config import AESettings, Badge, HardwareProfile
from artifacts.models.evaluation import (
    ArtifactBid,
    BadgeVerdict,
    Evaluation,
    EvaluatorAssignment,
    KickTheTiresCheck,
)
from artifacts.models.messages import ArtifactMessage
from artifacts.models.registration import ArtifactInvitation

__all__ = [
    "AESettings",
    "Artifact",
    "ArtifactBid",
    "ArtifactInvitation",
    "ArtifactMessage",
    "Badge",
    "BadgeVerdict",
    "Evaluation",
    "EvaluatorAssignment",
    "HardwareProfile",
    "KickTheTiresCheck",
    "RequestedBadge",
    "SmokeCheck",
    "StampedPaper",
]

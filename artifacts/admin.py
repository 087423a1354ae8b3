"""The artifacts models in the Django admin, read-only: an operator looks things up here; every
change goes through the services behind the AE pages (validated, audited, with their emails).
Nothing is deleted from here: an artifact, an assignment or a badge carries people's work
(evaluations, verdicts, messages), which a cascade would take with it."""

from django.contrib import admin
from django.db import models

from artifacts.models import (
    AESettings,
    Artifact,
    ArtifactBid,
    ArtifactMessage,
    Badge,
    BadgeVerdict,
    Evaluation,
    EvaluatorAssignment,
    HardwareProfile,
    KickTheTiresCheck,
    RequestedBadge,
    SmokeCheck,
    StampedPaper,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AESettings)
class AESettingsAdmin(ReadOnlyAdmin):
    list_display = ["conference", "enabled", "evaluators_per_artifact", "evaluations_per_evaluator"]
    list_select_related = ["conference"]


@admin.register(Badge)
class BadgeAdmin(ReadOnlyAdmin):
    list_display = ["label", "key", "conference", "order", "active"]
    list_select_related = ["conference"]
    list_filter = ["active"]
    search_fields = ["label", "key", "conference__slug"]


@admin.register(HardwareProfile)
class HardwareProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "cpu_cores", "ram_gb", "cloud_gpus", "updated_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__name"]


@admin.register(Artifact)
class ArtifactAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "conference", "status", "submitted_at", "decided_at"]
    list_select_related = ["conference", "submission"]
    list_filter = ["status"]
    search_fields = ["conference__slug", "submission__title", "repository_url", "doi"]
    # The access secret (credentials for evaluators) is never shown, even encrypted.
    exclude = ["access_secret"]


@admin.register(RequestedBadge)
class RequestedBadgeAdmin(ReadOnlyAdmin):
    list_display = ["artifact", "badge", "proposal", "outcome", "decided_at"]
    list_select_related = ["artifact__submission", "badge"]
    list_filter = ["outcome"]


@admin.register(EvaluatorAssignment)
class EvaluatorAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["artifact", "evaluator", "alias", "removed_at"]
    list_select_related = ["artifact__submission", "evaluator"]
    search_fields = ["evaluator__email"]


@admin.register(ArtifactBid)
class ArtifactBidAdmin(ReadOnlyAdmin):
    list_display = ["artifact", "user", "preference"]
    list_select_related = ["artifact__submission", "user"]
    list_filter = ["preference"]


for model in (
    KickTheTiresCheck,
    Evaluation,
    BadgeVerdict,
    ArtifactMessage,
    SmokeCheck,
    StampedPaper,
):
    admin.site.register(model, ReadOnlyAdmin)

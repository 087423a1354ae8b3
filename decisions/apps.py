from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    """How a conference ends: decisions, their release and letters, camera-ready, proceedings."""

    name = "decisions"
    verbose_name = "Decisions"

    def ready(self) -> None:
        from decisions import outcomes
        from mlsys.conferences import setup_copy

        setup_copy.register(
            "decisions.outcomes",
            preview=outcomes.preview_outcome_copy,
            copy=outcomes.copy_outcomes,
            order=40,
        )

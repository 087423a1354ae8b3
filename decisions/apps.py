from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    """How a conference ends: decisions, their release and letters, camera-ready, proceedings."""

    name = "decisions"
    verbose_name = "Decisions"

    def ready(self) -> None:
        from decisions import outcomes
        from decisions.home import decisions_section
        from mlsys.conferences import homepage, setup_copy

        homepage.register("decisions.chair", decisions_section, order=15)

        setup_copy.register(
            "decisions.outcomes",
            preview=outcomes.preview_outcome_copy,
            copy=outcomes.copy_outcomes,
            order=40,
        )

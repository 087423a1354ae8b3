from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    """How a conference ends: decisions, their release and letters, camera-ready, proceedings."""

    name = "decisions"
    verbose_name = "Decisions"

    def ready(self) -> None:
        from decisions import outcomes
        from decisions.proceedings import rules as _proceedings_rules  # noqa: F401
        from mlsys.conferences import setup_copy
        from mlsys.core import files

        setup_copy.register(
            "decisions.outcomes",
            preview=outcomes.preview_outcome_copy,
            copy=outcomes.copy_outcomes,
            order=40,
        )

        # Built booklets and ZIPs are served only through the permission-checked file view.
        files.register(
            "proceedings",
            model="decisions.ProceedingsBuild",
            field="file",
            permission="decisions.download_proceedings",
            filename=lambda build: build.download_name,
        )

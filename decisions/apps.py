from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    """How a conference ends: decisions, their release and letters, camera-ready, proceedings."""

    name = "decisions"
    verbose_name = "Decisions"

    def ready(self) -> None:
        from decisions import outcomes
        from decisions.letters import emails  # noqa: F401  (registers the letter templates)
        from mlsys.conferences import setup_copy
        from mlsys.core import files

        setup_copy.register(
            "decisions.outcomes",
            preview=outcomes.preview_outcome_copy,
            copy=outcomes.copy_outcomes,
            order=40,
        )

        # Letters are served only through the permission-checked file view.
        files.register(
            "decision-letter",
            model="decisions.DecisionLetter",
            field="file",
            permission="decisions.download_letter",
            filename=lambda letter: f"decision-{letter.submission.number}.pdf",
            content_type="application/pdf",
        )
        files.register(
            "decision-letter-archive",
            model="decisions.LetterArchive",
            field="file",
            permission="decisions.download_letter_archive",
            filename=lambda archive: f"{archive.conference.slug}-decision-letters.zip",
            content_type="application/zip",
        )

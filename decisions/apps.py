from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    """How a conference ends: decisions, their release and letters, camera-ready, proceedings."""

    name = "decisions"
    verbose_name = "Decisions"

    def ready(self) -> None:
        from decisions import outcomes
        from decisions.camera_ready import emails, rules  # noqa: F401  (register themselves)
        from decisions.camera_ready.services import camera_ready_spec
        from decisions.camera_ready.views import shepherd_section
        from decisions.home import decisions_section
        from decisions.letters import emails as _letter_emails  # noqa: F401
        from decisions.proceedings import rules as _proceedings_rules  # noqa: F401
        from mlsys.conferences import homepage, setup_copy
        from mlsys.core import files
        from submissions import pipeline
        from submissions.enums import FileKind

        homepage.register("decisions.chair", decisions_section, order=15)
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
        homepage.register("decisions.shepherding", shepherd_section, order=25)
        # A camera-ready upload is checked against the camera-ready's own limit and format.
        pipeline.register_spec(FileKind.CAMERA_READY, camera_ready_spec)
        files.register(
            "camera-ready",
            model="submissions.SubmissionFile",
            field="file",
            permission="decisions.download_camera_ready",
            filename=lambda f: f.original_name,
        )
        # Built booklets and ZIPs are served only through the permission-checked file view.
        files.register(
            "proceedings",
            model="decisions.ProceedingsBuild",
            field="file",
            permission="decisions.download_proceedings",
            filename=lambda build: build.download_name,
        )

from django.apps import AppConfig


class ArtifactsConfig(AppConfig):
    """Artifact evaluation: registration, the AE committee, kick-the-tires, per-badge verdicts,
    badges on the results page, the proceedings and the camera-ready (docs/artifacts.md)."""

    name = "artifacts"
    verbose_name = "Artifacts"

    def ready(self) -> None:
        from artifacts import emails, rules  # noqa: F401  (register themselves)
        from artifacts.assignment import emails as _assignment_emails  # noqa: F401
        from artifacts.evaluation import emails as _evaluation_emails  # noqa: F401
        from artifacts.evaluation import rules as _evaluation_rules  # noqa: F401

        self._ready_setup()
        self._ready_registration()

    def _ready_setup(self) -> None:
        """artifacts.setup and artifacts.committee: next year's copy, the AE home sections."""
        from artifacts.committee import home as committee_home
        from artifacts.setup import copying
        from mlsys.conferences import homepage, setup_copy

        setup_copy.register(
            "artifacts.setup", preview=copying.preview, copy=copying.copy, order=copying.ORDER
        )
        homepage.register("artifacts.ae", committee_home.ae_sections, order=30)

    def _ready_registration(self) -> None:
        """artifacts.registration: invitation at release, home section, appendix check and
        download, its rules and emails."""
        from artifacts.registration import emails as _registration_emails  # noqa: F401
        from artifacts.registration import rules as _registration_rules  # noqa: F401
        from artifacts.registration.appendix import appendix_spec, on_file_checked
        from artifacts.registration.home import artifacts_section
        from artifacts.registration.services import invite_authors
        from decisions.signals import decisions_released
        from mlsys.conferences import homepage
        from mlsys.core import files
        from submissions import pipeline
        from submissions.enums import FileKind

        def invite(sender, conference, submissions, actor=None, **kwargs):
            invite_authors(conference=conference, submissions=submissions, actor=actor)

        decisions_released.connect(invite, weak=False, dispatch_uid="artifacts.invite_authors")
        pipeline.file_checked.connect(
            on_file_checked, weak=False, dispatch_uid="artifacts.appendix_checked"
        )
        pipeline.register_spec(FileKind.ARTIFACT_APPENDIX, appendix_spec)
        homepage.register("artifacts.authors", artifacts_section, order=32)
        files.register(
            "artifact-appendix",
            model="submissions.SubmissionFile",
            field="file",
            permission="artifacts.download_appendix",
            filename=lambda f: f.original_name,
            content_type="application/pdf",
        )

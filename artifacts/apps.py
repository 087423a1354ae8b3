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
        self._ready_badges()

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

    def _ready_badges(self) -> None:
        """artifacts.badges: the proceedings' badges and stamped PDFs, stamping the camera-ready
        when the badges are published (and when a new final PDF arrives after), its file kind."""
        from artifacts.badges import queries as badge_queries
        from artifacts.badges import rules as _badge_rules  # noqa: F401
        from artifacts.badges import services as badge_services
        from artifacts.signals import badges_published
        from decisions.proceedings import badges as proceedings_badges
        from decisions.proceedings import finals
        from mlsys.core import files
        from submissions import pipeline

        # Published badges reach the proceedings' exports, and the ZIP takes the stamped PDF.
        proceedings_badges.register(badge_queries.awarded_labels)
        finals.register_version(badge_queries.stamped_versions)
        badges_published.connect(
            badge_services.stamp_after_publication, dispatch_uid="artifacts.badges.stamp"
        )
        pipeline.file_checked.connect(
            badge_services.stamp_new_final, dispatch_uid="artifacts.badges.new_final"
        )
        files.register(
            "stamped-paper",
            model="artifacts.StampedPaper",
            field="file",
            permission="artifacts.download_stamped_paper",
            filename=lambda stamp: f"paper-{stamp.submission.number}-badges.pdf",
            content_type="application/pdf",
        )

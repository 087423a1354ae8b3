from django.apps import AppConfig


class ArtifactsConfig(AppConfig):
    """Artifact evaluation: registration, the AE committee, kick-the-tires, per-badge verdicts,
    badges on the results page, the proceedings and the camera-ready (docs/artifacts.md)."""

    name = "artifacts"
    verbose_name = "Artifacts"

    def ready(self) -> None:
        from artifacts import emails, rules  # noqa: F401  (register themselves)
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
        # The camera-ready is stamped when the badges are published, and again when a new
        # final PDF passes its check afterwards.
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

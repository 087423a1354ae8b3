from django.apps import AppConfig


class ArtifactsConfig(AppConfig):
    """Artifact evaluation: registration, the AE committee, kick-the-tires, per-badge verdicts,
    badges on the results page, the proceedings and the camera-ready (docs/artifacts.md)."""

    name = "artifacts"
    verbose_name = "Artifacts"

    def ready(self) -> None:
        from artifacts import emails, rules  # noqa: F401  (register themselves)
        from artifacts.assignment import emails as assignment_emails  # noqa: F401
        from artifacts.committee import home as committee_home
        from artifacts.setup import copying
        from mlsys.conferences import homepage, setup_copy

        setup_copy.register(
            "artifacts.setup", preview=copying.preview, copy=copying.copy, order=copying.ORDER
        )
        homepage.register("artifacts.ae", committee_home.ae_sections, order=30)

from django.apps import AppConfig


class ArtifactsConfig(AppConfig):
    """Artifact evaluation: registration, the AE committee, kick-the-tires, per-badge verdicts,
    badges on the results page, the proceedings and the camera-ready (docs/artifacts.md)."""

    name = "artifacts"
    verbose_name = "Artifacts"

    def ready(self) -> None:
        from artifacts import emails, rules  # noqa: F401  (register themselves)
        from artifacts.evaluation import emails as evaluation_emails  # noqa: F401
        from artifacts.evaluation import rules as evaluation_rules  # noqa: F401

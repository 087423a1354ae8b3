from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "mlsys.conferences"
    label = "conferences"
    verbose_name = "Conferences"

    def ready(self) -> None:
        # Imported in ready(): they need the app registry loaded.
        from mlsys.conferences import (
            emails,  # noqa: F401  (registers the email templates)
            homepage,
        )
        from mlsys.conferences.home import conferences_section
        from mlsys.conferences.setup_copiers import register_hooks

        homepage.register("conferences", conferences_section, order=100)
        register_hooks()

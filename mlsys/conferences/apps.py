from django.apps import AppConfig


class ConferencesConfig(AppConfig):
    name = "mlsys.conferences"
    label = "conferences"
    verbose_name = "Conferences"

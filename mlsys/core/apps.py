from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mlsys.core"
    label = "core"
    verbose_name = "Core"

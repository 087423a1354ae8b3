from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo conference (``manage.py seed_demo``): the top of the layering, it imports every
    app and no app imports it."""

    name = "demo"
    label = "demo"
    verbose_name = "Demo"

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        # Email templates and beat tasks outside tasks.py (Celery autodiscovers tasks.py only).
        from reviews import assignment_emails, assignment_tasks, bid_tasks, emails  # noqa: F401

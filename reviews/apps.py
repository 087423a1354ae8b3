from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        # Email templates and beat tasks outside tasks.py (Celery autodiscovers tasks.py only).
        from mlsys.conferences import homepage
        from reviews import (  # noqa: F401
            assignment_emails,
            assignment_tasks,
            bid_tasks,
            emails,
            response_emails,
            review_tasks,
        )
        from reviews.discussion import emails as _de  # noqa: F401
        from reviews.discussion import rules as _dr  # noqa: F401  (registers discussion perms)
        from reviews.home import chair_section, reviewing_section
        from reviews.reviewing import emails as _e  # noqa: F401
        from reviews.reviewing import files as _f  # noqa: F401  (registers "review-copy")

        homepage.register("reviews.chair", chair_section, order=10)
        homepage.register("reviews.reviewing", reviewing_section, order=20)

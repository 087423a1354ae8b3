from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        # Email templates register themselves when imported. Celery tasks are not imported here:
        # mlsys.celery autodiscovers each workflow package's tasks.py.
        from mlsys.conferences import homepage, setup_copy
        from mlsys.mail.queries import register_hidden_papers
        from reviews.assignment import emails as _ae  # noqa: F401
        from reviews.bidding import emails as _be  # noqa: F401
        from reviews.discussion import emails as _de  # noqa: F401
        from reviews.discussion import rules as _dr  # noqa: F401  (registers discussion perms)
        from reviews.external import emails as _xe  # noqa: F401
        from reviews.home.views import chair_section, reviewing_section
        from reviews.meta import emails as _me  # noqa: F401
        from reviews.reminders import emails as _rme  # noqa: F401
        from reviews.response import emails as _re  # noqa: F401
        from reviews.review_forms import services as review_form_services
        from reviews.reviewing import emails as _e  # noqa: F401
        from reviews.reviewing import files as _f  # noqa: F401  (registers "review-copy")
        from reviews.rules import conflicted_paper_numbers, conflicted_submission_ids
        from submissions.queries import register_hidden_tags

        # Issue 13: the chairs' outbox page hides email about papers they are conflicted with.
        register_hidden_papers(conflicted_paper_numbers)
        # The chairs' tags on a paper are hidden from a chair conflicted with it, everywhere.
        register_hidden_tags(conflicted_submission_ids)
        homepage.register("reviews.chair", chair_section, order=10)
        homepage.register("reviews.reviewing", reviewing_section, order=20)
        setup_copy.register(
            "reviews.review_forms",
            preview=review_form_services.preview_form_copy,
            copy=review_form_services.copy_forms,
            order=setup_copy.TRACKS_ORDER + 30,
        )

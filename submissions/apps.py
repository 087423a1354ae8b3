from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "Submissions"

    def ready(self) -> None:
        # Email templates and signal receivers register themselves when imported (Celery tasks
        # are autodiscovered from submissions/tasks.py).
        from mlsys.conferences import homepage, setup_copy
        from mlsys.core import files
        from submissions import emails, extra_fields, signals  # noqa: F401
        from submissions.home import papers_section

        homepage.register("submissions.papers", papers_section, order=30)

        # The oldest pending PDF check, in /healthz?full=1 (issue 13).
        from mlsys.core import health as core_health
        from submissions.health import pending_checks

        core_health.register("checks", pending_checks, essential=True)
        setup_copy.register(
            "submissions.extra_fields",
            preview=extra_fields.preview_extra_field_copy,
            copy=extra_fields.copy_extra_fields,
            order=setup_copy.TRACKS_ORDER + 20,
        )

        # Every uploaded version is served only through the permission-checked file view.
        files.register(
            "submission-file",
            model="submissions.SubmissionFile",
            field="file",
            permission="submissions.download_submissionfile",
            filename=lambda f: f.original_name,
        )

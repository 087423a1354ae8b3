from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "Submissions"

    def ready(self) -> None:
        # Imported in ready(), once the app registry is loaded: templates, receivers, the
        # conflict task (Celery only autodiscovers tasks.py), the home section.
        from mlsys.conferences import homepage
        from mlsys.core import files
        from submissions import conflict_tasks, emails, signals  # noqa: F401
        from submissions.home import papers_section

        homepage.register("submissions.papers", papers_section, order=30)

        # Every uploaded version is served only through the permission-checked file view.
        files.register(
            "submission-file",
            model="submissions.SubmissionFile",
            field="file",
            permission="submissions.download_submissionfile",
            filename=lambda f: f.original_name,
        )

from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "mlsys.mail"
    label = "mail"
    verbose_name = "Mail"

    def ready(self) -> None:
        # Unsent and failed mail, in /healthz?full=1 (issue 13): degraded, never a 503.
        from mlsys.core import health
        from mlsys.mail.health import outbox

        health.register("mail", outbox, essential=False)

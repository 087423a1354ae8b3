from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "mlsys.mail"
    label = "mail"
    verbose_name = "Mail"

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mlsys.accounts"
    label = "accounts"
    verbose_name = "Accounts"

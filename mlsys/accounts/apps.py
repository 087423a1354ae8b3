from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mlsys.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from mlsys.accounts import receivers  # noqa: F401 - connects the signal receivers

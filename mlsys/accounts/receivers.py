"""allauth signal receivers, connected in ``AccountsConfig.ready``."""

from allauth.account.signals import password_changed, password_reset, password_set
from django.dispatch import receiver

from mlsys.accounts import services


@receiver(password_changed, dispatch_uid="accounts.revoke_tokens_on_password_changed")
def _revoke_tokens_on_password_changed(sender, request, user, **kwargs) -> None:
    services.revoke_all_api_tokens(user=user, reason="password changed")


@receiver(password_set, dispatch_uid="accounts.revoke_tokens_on_password_set")
def _revoke_tokens_on_password_set(sender, request, user, **kwargs) -> None:
    services.revoke_all_api_tokens(user=user, reason="password set")


@receiver(password_reset, dispatch_uid="accounts.revoke_tokens_on_password_reset")
def _revoke_tokens_on_password_reset(sender, request, user, **kwargs) -> None:
    services.revoke_all_api_tokens(user=user, reason="password reset")

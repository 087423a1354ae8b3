"""allauth hooks: its emails go through our outbox; sign-up stores the person's name."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string

from mlsys.core.proxy import client_ip
from mlsys.mail.services import queue_email


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """The address allauth's per-IP rate limits count: the client our own proxy saw
        (``TRUSTED_PROXIES``), not the proxy itself, whose address every relayed request has.

        allauth's ``ALLAUTH_TRUSTED_PROXY_COUNT`` would believe ``X-Forwarded-For`` from any
        peer, so a client reaching gunicorn directly could pick its own address for every
        attempt; :func:`mlsys.core.proxy.client_ip` believes it only from our proxies."""
        return client_ip(request)

    def send_mail(self, template_prefix, email, context):
        # allauth passes the recipient separately; the templates print it as ``{{ email }}``.
        context = {"email": email, **context, "site_url": settings.SITE_URL}
        subject = render_to_string(f"{template_prefix}_subject.txt", context).strip()
        subject = self.format_email_subject(" ".join(subject.splitlines()))
        try:
            body = render_to_string(f"{template_prefix}_message.txt", context)
        except TemplateDoesNotExist:
            body = render_to_string(f"{template_prefix}_message.html", context)
        queue_email(to=[email], subject=subject, body=body)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.name = form.cleaned_data.get("name", "") or user.name
        user.affiliation = form.cleaned_data.get("affiliation", "") or user.affiliation
        if commit:
            user.save()
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return True

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = " ".join(filter(None, [data.get("first_name"), data.get("last_name")]))
        user.name = user.name or name
        if sociallogin.account.provider == "orcid":
            user.orcid = sociallogin.account.uid
        return user

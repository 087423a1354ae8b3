"""Authors and accounts: who an author's email belongs to, and linking them up."""

from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.db import transaction

from mlsys.accounts.models import User
from mlsys.core import audit
from submissions.models import Author


def normalise_email(email: str) -> str:
    return email.strip().lower()


def users_by_email(emails: Iterable[str]) -> dict[str, User]:
    """Map each of ``emails`` that belongs to an active account to that account (two queries).

    An address counts when allauth holds it as verified, or when it is the account's login
    email and allauth does not know it as unverified (accounts created by chairs or imports
    have no EmailAddress row). An unverified sign-up never captures somebody else's paper.
    """
    wanted = {normalise_email(e) for e in emails if e}
    if not wanted:
        return {}
    found: dict[str, User] = {}
    for address in EmailAddress.objects.filter(
        email__in=wanted, verified=True, user__is_active=True
    ).select_related("user"):
        found.setdefault(normalise_email(address.email), address.user)
    unverified = set(
        EmailAddress.objects.filter(email__in=wanted, verified=False).values_list(
            "user_id", "email"
        )
    )
    for user in User.objects.filter(email__in=wanted - set(found), is_active=True):
        if (user.pk, user.email) not in unverified:
            found.setdefault(normalise_email(user.email), user)
    return found


def verified_emails_of(user) -> set[str]:
    emails = {
        normalise_email(e)
        for e in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    }
    login_unverified = EmailAddress.objects.filter(
        user=user, email__iexact=user.email, verified=False
    ).exists()
    if user.email and not login_unverified:
        emails.add(normalise_email(user.email))
    return emails


@transaction.atomic
def link_authors_to_user(user, *, emails: Iterable[str] | None = None) -> int:
    """Link every unlinked Author row whose email is one of ``user``'s verified addresses.

    Called when somebody signs up or confirms an address, so co-authors added before they had
    an account see their submissions. ``emails`` narrows the addresses considered (the one
    just confirmed); each must still be verified. Writes one audit event per linked author.
    Returns how many author rows were linked.
    """
    if user is None or not user.is_active:
        return 0
    addresses = verified_emails_of(user)
    if emails is not None:
        addresses &= {normalise_email(e) for e in emails}
    if not addresses:
        return 0
    linked = 0
    for author in (
        Author.objects.select_for_update(of=("self",))
        .filter(user__isnull=True, email__in=addresses)
        .select_related("submission__conference")
    ):
        author.user = user
        author.save(update_fields=["user", "updated_at"])
        audit.record(
            "submissions.author_linked",
            actor=user,
            target=author,
            conference=author.submission.conference,
            changes={"user": [None, user.pk]},
        )
        linked += 1
    return linked

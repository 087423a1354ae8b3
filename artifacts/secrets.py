"""The artifacts' access credentials, encrypted at rest with Fernet (AES-128-CBC + HMAC).

The key is ``settings.ARTIFACT_SECRET_KEY`` (a Fernet key: 32 bytes, urlsafe base64) or, when
it is empty, one derived from ``SECRET_KEY`` with HKDF-SHA256 — rotating SECRET_KEY then makes
the stored credentials unreadable (:func:`decrypt` answers None and the page asks the authors
to enter them again). Plain text never reaches the database, an email, an audit entry or a log.
"""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

HKDF_INFO = b"mlsys artifacts access secret v1"


@lru_cache(maxsize=4)
def _fernet(configured: str, secret_key: str) -> Fernet:
    if configured:
        try:
            raw = base64.urlsafe_b64decode(configured.encode())
        except (binascii.Error, ValueError) as exc:
            raise ImproperlyConfigured(
                "ARTIFACT_SECRET_KEY must be a Fernet key: 32 bytes in urlsafe base64 "
                "(make one with: python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())')."
            ) from exc
        if len(raw) != 32:
            raise ImproperlyConfigured(
                f"ARTIFACT_SECRET_KEY decodes to {len(raw)} bytes; a Fernet key has 32."
            )
        return Fernet(configured.encode())
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(
        secret_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def fernet() -> Fernet:
    return _fernet(getattr(settings, "ARTIFACT_SECRET_KEY", "") or "", settings.SECRET_KEY)


def encrypt(plain: str) -> str:
    """The token stored in ``Artifact.access_secret``; empty text stays empty."""
    if not plain:
        return ""
    return fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str | None:
    """The plain credentials; "" when none are stored, None when the token cannot be read (the
    key changed, or the column was tampered with)."""
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None

"""ORCID iD normalization and its ISO 7064 11,2 check digit."""

from django.core.exceptions import ValidationError

_PREFIXES = ("HTTPS://ORCID.ORG/", "HTTP://ORCID.ORG/", "ORCID.ORG/")


def normalize_orcid(value: str) -> str:
    """Accept a bare iD or an orcid.org link, in any case; return ``0000-0000-0000-000X``."""
    value = value.strip().upper()
    for prefix in _PREFIXES:
        value = value.removeprefix(prefix)
    return value


def validate_orcid_checksum(value: str) -> None:
    """Raise ``ValidationError`` when a well-formed iD has a wrong last digit (a typo)."""
    digits = value.replace("-", "")
    if len(digits) != 16 or not digits[:15].isdigit():
        return  # the format validator on the model field reports these
    total = 0
    for digit in digits[:15]:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    if digits[15] != expected:
        raise ValidationError(
            "This ORCID iD has a typo: its last character doesn't match the others. "
            "Copy it from your ORCID record.",
            code="orcid_checksum",
        )

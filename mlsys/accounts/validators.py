"""ORCID iD normalization and its ISO 7064 11,2 check digit; single-line text for names."""

import re
import unicodedata

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
    if not re.fullmatch(r"[0-9]{15}[0-9X]", digits):
        return  # the format validator on the model field reports these (e.g. "²" or "①")
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


# Control characters (Cc: line breaks, tabs, NUL, escape), line/paragraph separators, surrogates,
# private-use and unassigned code points, and the bidirectional overrides that reorder what is
# shown around a name, and the other invisible format characters (category Cf: zero-width
# space, word joiner, byte-order mark...). The joiners ZWJ/ZWNJ stay: some scripts need them.
_REJECTED_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
_JOINERS = {"\u200c", "\u200d"}


def validate_single_line_text(value: str) -> None:
    """Refuse line breaks and other invisible control characters in a name or affiliation."""
    for char in value:
        if char in _JOINERS:
            continue
        if unicodedata.category(char) in _REJECTED_CATEGORIES or char in _BIDI_CONTROLS:
            raise ValidationError(
                "Use a single line of visible text: line breaks and control characters "
                "(here U+%(code)04X) are not allowed.",
                code="control_character",
                params={"code": ord(char)},
            )

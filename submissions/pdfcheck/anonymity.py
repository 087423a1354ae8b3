"""Does an anonymous submission name its authors? Text is normalised first: hyphenation at line
ends undone, accents and case folded, whitespace collapsed; names match as whole words."""

import re
import unicodedata

from submissions.pdfcheck.spec import FormatSpec

HYPHENS = "-\u2010\u2011\u00ad"


def normalise(text: str) -> str:
    text = text.replace("\x02", "-").replace("\u00ad", "-")
    text = re.sub(rf"(\w)[{HYPHENS}][ \t]*\r?\n\s*(\w)", r"\1\2", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text).casefold()


def _name_pattern(name: str) -> re.Pattern | None:
    parts = normalise(name).split()
    if not parts or len("".join(parts)) < 4:
        return None
    words = [re.escape(p).replace(r"\-", "[-\\s]?") for p in parts]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


def patterns(spec: FormatSpec) -> list[tuple[str, str, re.Pattern]]:
    """``(kind, value, pattern)`` for every identity the spec's anonymity rule hides."""
    found = []
    if not spec.is_anonymous:
        return found
    for name in spec.author_names:
        if (pattern := _name_pattern(name)) is not None:
            found.append(("name", name, pattern))
    for email in spec.author_emails:
        found.append(("email", email, re.compile(re.escape(normalise(email)))))
    if spec.anonymity == "double_blind":
        for affiliation in spec.author_affiliations:
            if (pattern := _name_pattern(affiliation)) is not None:
                found.append(("affiliation", affiliation, pattern))
    return found


def scan_pages(page_texts: list[str], spec: FormatSpec) -> list[dict]:
    """One finding per identity: the first page whose text names it."""
    findings = []
    checks = patterns(spec)
    if not checks:
        return findings
    normalised = [normalise(text) for text in page_texts]
    for kind, value, pattern in checks:
        for number, text in enumerate(normalised, start=1):
            if pattern.search(text):
                findings.append(
                    {
                        "where": "text",
                        "kind": kind,
                        "value": value,
                        "page": number,
                        "stripped": False,
                    }
                )
                break
    return findings


def scan_metadata(fields: dict[str, str], spec: FormatSpec) -> list[dict]:
    """Findings in the document info and the document's XMP (``where`` is the key); all of it
    is removed from the reviewers' copy."""
    return scan_fields(
        [{"where": key, "text": text, "stripped": True} for key, text in fields.items()], spec
    )


def scan_fields(fields: list[dict], spec: FormatSpec) -> list[dict]:
    """One finding per identity and place (``{"where", "text", "stripped", "page"}`` from
    :class:`submissions.pdfcheck.structure.Structure`); ``stripped`` says whether the
    reviewers' copy drops that place."""
    findings = []
    checks = patterns(spec)
    if not checks:
        return findings
    normalised = [(item, normalise(item["text"])) for item in fields]
    for kind, value, pattern in checks:
        seen = set()
        for item, text in normalised:
            if item["where"] in seen or not pattern.search(text):
                continue
            seen.add(item["where"])
            finding = {"where": item["where"], "kind": kind, "value": value}
            if item.get("page"):
                finding["page"] = item["page"]
            finding["stripped"] = bool(item.get("stripped"))
            findings.append(finding)
    return findings


def scan_links(uris: list[str], spec: FormatSpec) -> list[dict]:
    """Links whose address spells an author's name or e-mail user (e.g. a personal repo)."""
    if not spec.is_anonymous:
        return []
    tokens = []
    for name in spec.author_names:
        squashed = re.sub(r"[^a-z0-9]", "", normalise(name))
        if len(squashed) >= 6:
            tokens.append((name, squashed))
    for email in spec.author_emails:
        user = re.sub(r"[^a-z0-9]", "", normalise(email.split("@")[0]))
        if len(user) >= 4:
            tokens.append((email, user))
    findings = []
    for uri in uris:
        squashed = re.sub(r"[^a-z0-9]", "", uri.casefold())
        for value, token in tokens:
            if token in squashed:
                findings.append(
                    {"where": "link", "kind": "link", "value": value, "uri": uri, "stripped": False}
                )
                break
    return findings

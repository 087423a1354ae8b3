"""Reading an artifact registration as people type it (the page's form and the API send the
same raw values): each field cleaned or refused with a sentence, then the badges' rules —
the fields each requested badge needs and the allowed combinations.

:func:`clean` returns the values to store and raises ``ValidationError`` keyed by field name.
Nothing here touches the database except through the badge rows it is given.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from artifacts import enums

MAX_TEXT = 20_000
MAX_SHORT_TEXT = 5_000
MAX_ROWS = 100
MAX_HARDWARE_LINES = 50
MAX_NAME = 200

#: Registration fields a badge may require (``Badge.required_fields``), with the words used
#: when one is missing.
FIELD_LABELS: dict[str, str] = {
    "summary": "a summary",
    "repository_url": "a repository URL",
    "version": "an immutable version (commit hash or release tag)",
    "doi": "a DOI",
    "licence": "a licence",
    "packaging": "a packaging",
    "packaging_notes": "packaging notes",
    "experiments": "at least one experiment with its time estimates",
    "datasets": "the datasets and models it uses",
    "access_instructions": "access instructions",
    "appendix": "an artifact appendix PDF that passed its check",
    "contact": "a contact author",
    "hardware": "its hardware needs",
}

#: Names a branch, not a version: moving targets an evaluator cannot pin.
BRANCH_NAMES = frozenset(
    {
        "head",
        "main",
        "master",
        "trunk",
        "develop",
        "development",
        "dev",
        "default",
        "latest",
        "stable",
        "next",
        "nightly",
        "staging",
        "production",
        "prod",
        "release",
        "gh-pages",
    }
)
HEX = re.compile(r"^[0-9a-f]{7,40}$")
TAG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+/-]{0,99}$")
DOI = re.compile(r"^10\.\d{4,9}/[^\s]+$")
DOI_PREFIXES = (
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "doi.org/",
    "doi:",
)
LICENCE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+-]{0,63}$")
LICENCE_OPERATORS = {"AND", "OR", "WITH"}


def _text(data: dict, name: str, limit: int, label: str, errors: dict) -> str:
    value = data.get(name)
    value = "" if value is None else str(value)
    value = value.replace("\r\n", "\n").strip()
    if len(value) > limit:
        errors[name] = f"{label} is {len(value):,} characters long; at most {limit:,}."
        return ""
    return value


def clean_version(raw: str) -> tuple[str, str]:
    """``(version, kind)`` — kind "commit" or "tag" — or ValidationError with a sentence."""
    value = raw.strip()
    if not value:
        return "", ""
    if value.lower().startswith("refs/heads/") or value.lower() in BRANCH_NAMES:
        raise ValidationError(
            f"“{value[:60]}” is a branch, which keeps moving: give a commit hash (7 to 40 "
            "hexadecimal characters) or a release tag such as v1.0."
        )
    if HEX.match(value.lower()):
        return value.lower(), "commit"
    if re.fullmatch(r"[0-9a-fA-F]{1,6}", value):
        raise ValidationError(
            f"“{value}” is too short for a commit hash: give at least 7 hexadecimal characters "
            "(or a release tag such as v1.0)."
        )
    value = value.removeprefix("refs/tags/")
    if (
        not TAG.match(value)
        or ".." in value
        or value.endswith((".lock", "/", "."))
        or "//" in value
        or not any(ch.isdigit() for ch in value)
    ):
        raise ValidationError(
            "Give a commit hash (7 to 40 hexadecimal characters, e.g. 3f2c1a9) or a release "
            "tag with a version number (e.g. v1.0 or mlsys26-ae); branch names are not "
            "versions."
        )
    return value, "tag"


def clean_doi(raw: str) -> str:
    """The bare DOI ("10.5281/zenodo.123"), accepting https://doi.org/… and doi:… forms."""
    value = raw.strip()
    lowered = value.lower()
    for prefix in DOI_PREFIXES:
        if lowered.startswith(prefix):
            value = value[len(prefix) :]
            break
    if not value:
        return ""
    if len(value) > 200 or not DOI.match(value):
        raise ValidationError(
            "A DOI looks like 10.5281/zenodo.1234567 (or https://doi.org/10.5281/zenodo.1234567)."
        )
    return value


def clean_licence(raw: str) -> str:
    """An SPDX-like licence expression: identifiers (MIT, Apache-2.0, CC-BY-4.0) joined by AND,
    OR or WITH, parentheses allowed."""
    value = " ".join(raw.split())
    if not value:
        return ""
    tokens = value.replace("(", " ").replace(")", " ").split()
    valid = len(value) <= 100 and value.count("(") == value.count(")") and tokens
    expect_id = True
    for token in tokens:
        if expect_id:
            valid = valid and bool(LICENCE_ID.match(token)) and token not in LICENCE_OPERATORS
        else:
            valid = valid and token in LICENCE_OPERATORS
        expect_id = not expect_id
    if not valid or expect_id:
        raise ValidationError(
            "Give the licence as an SPDX identifier such as MIT, Apache-2.0, BSD-3-Clause or "
            "CC-BY-4.0 (several joined by AND or OR)."
        )
    return value


def clean_repository_url(raw: str) -> str:
    value = raw.strip()
    if not value:
        return ""
    if len(value) > 500:
        raise ValidationError("The repository URL is longer than 500 characters.")
    try:
        URLValidator(schemes=["https", "http"])(value)
    except ValidationError:
        raise ValidationError(
            "Give the repository as a web address, e.g. https://github.com/lab/artifact."
        ) from None
    if urlsplit(value).username or urlsplit(value).password:
        raise ValidationError("Leave credentials out of the repository URL; use the access box.")
    return value


def _number(value, *, label: str, whole: bool, maximum: int) -> int | Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(f"{label}: “{str(value)[:20]}” is not a number.") from None
    if not number.is_finite() or number < 0 or number > maximum:
        raise ValidationError(f"{label} must be between 0 and {maximum:,}.")
    if whole:
        if number != number.to_integral_value():
            raise ValidationError(f"{label} must be a whole number.")
        return int(number)
    return number.quantize(Decimal("0.01"))


def _rows(raw, columns: int) -> list[list[str]]:
    """Rows typed one a line ("a | b | c") or sent as lists/dicts by the API."""
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        lines = [line for line in raw.replace("\r\n", "\n").split("\n") if line.strip()]
        return [[cell.strip() for cell in line.split("|")] for line in lines]
    if isinstance(raw, list | tuple):
        return list(raw)
    raise ValidationError("Send a list of rows.")


def clean_experiments(raw) -> list[dict]:
    """[{"name", "human_minutes", "compute_hours"}]: "Figure 3 | 10 | 2.5" a line."""
    rows = _rows(raw, 3)
    if len(rows) > MAX_ROWS:
        raise ValidationError(f"At most {MAX_ROWS} experiments (you gave {len(rows):,}).")
    cleaned = []
    for position, row in enumerate(rows, start=1):
        if isinstance(row, dict):
            row = [row.get("name", ""), row.get("human_minutes", ""), row.get("compute_hours", "")]
        if not isinstance(row, list | tuple) or not 1 <= len(row) <= 3:
            raise ValidationError(
                f"Experiment {position}: write “name | human minutes | compute hours”."
            )
        name, minutes, hours = [*("" if c is None else str(c) for c in row), "", ""][:3]
        name = " ".join(name.split())
        if not name or len(name) > MAX_NAME:
            raise ValidationError(
                f"Experiment {position}: give a name of at most {MAX_NAME} characters."
            )
        minutes_n = _number(
            minutes, label=f"Experiment {position}, human minutes", whole=True, maximum=100_000
        )
        hours_n = _number(
            hours, label=f"Experiment {position}, compute hours", whole=False, maximum=100_000
        )
        if minutes_n is None or hours_n is None:
            raise ValidationError(
                f"Experiment {position} (“{name[:60]}”): give the human time in minutes and "
                "the compute time in hours."
            )
        cleaned.append({"name": name, "human_minutes": minutes_n, "compute_hours": float(hours_n)})
    return cleaned


def clean_datasets(raw) -> list[dict]:
    """[{"name", "kind" (dataset|model), "size_gb", "url"}]: "ImageNet | dataset | 150 | url"."""
    rows = _rows(raw, 4)
    if len(rows) > MAX_ROWS:
        raise ValidationError(f"At most {MAX_ROWS} datasets and models (you gave {len(rows):,}).")
    cleaned = []
    for position, row in enumerate(rows, start=1):
        if isinstance(row, dict):
            row = [
                row.get("name", ""),
                row.get("kind", ""),
                row.get("size_gb", ""),
                row.get("url", ""),
            ]
        if not isinstance(row, list | tuple) or not 1 <= len(row) <= 4:
            raise ValidationError(
                f"Dataset or model {position}: write “name | dataset or model | size in GB | "
                "URL (optional)”."
            )
        name, kind, size, url = [*("" if c is None else str(c) for c in row), "", "", ""][:4]
        name, kind = " ".join(name.split()), kind.strip().lower() or "dataset"
        if not name or len(name) > MAX_NAME:
            raise ValidationError(
                f"Dataset or model {position}: give a name of at most {MAX_NAME} characters."
            )
        if kind not in ("dataset", "model"):
            raise ValidationError(
                f"Dataset or model {position} (“{name[:60]}”): say “dataset” or “model”."
            )
        size_n = _number(
            size, label=f"Dataset or model {position}, size in GB", whole=False, maximum=10**7
        )
        if size_n is None:
            raise ValidationError(
                f"Dataset or model {position} (“{name[:60]}”): give its size in GB."
            )
        url = url.strip()
        if url:
            try:
                URLValidator(schemes=["https", "http"])(url)
            except ValidationError:
                raise ValidationError(
                    f"Dataset or model {position} (“{name[:60]}”): the URL is not a web address."
                ) from None
        cleaned.append({"name": name, "kind": kind, "size_gb": float(size_n), "url": url[:500]})
    return cleaned


def clean_special_hardware(raw) -> list[str]:
    if isinstance(raw, list | tuple):
        lines = [str(item) for item in raw]
    else:
        lines = str(raw or "").replace("\r\n", "\n").split("\n")
    lines = [" ".join(line.split()) for line in lines if line.strip()]
    if len(lines) > MAX_HARDWARE_LINES:
        raise ValidationError(f"At most {MAX_HARDWARE_LINES} lines of special hardware.")
    for line in lines:
        if len(line) > MAX_NAME:
            raise ValidationError(
                f"Keep each line of special hardware under {MAX_NAME} characters."
            )
    return lines


def clean(data: dict, *, contacts: dict[int, object]) -> dict:
    """The registration's values to store, from ``data`` (raw strings, or the API's lists).

    ``contacts``: {user id: user} of the paper's authors with an account. Keys absent from
    ``data`` are left out of the result (an API PATCH changes only what it sends). Raises
    ValidationError({field: message}) listing every bad field at once."""
    errors: dict[str, str] = {}
    out: dict = {}

    def field(name, fn):
        if name not in data:
            return
        try:
            out[name] = fn(data.get(name))
        except ValidationError as error:
            errors[name] = " ".join(error.messages)

    for name, limit, label in (
        ("summary", MAX_TEXT, "The summary"),
        ("packaging_notes", MAX_SHORT_TEXT, "The packaging notes"),
        ("access_instructions", MAX_TEXT, "The access instructions"),
        ("access_secret", MAX_SHORT_TEXT, "The access credentials"),
        ("gpu_model", 100, "The GPU model"),
    ):
        if name in data:
            value = _text(data, name, limit, label, errors)
            if name not in errors:
                out[name] = value
    field("repository_url", lambda v: clean_repository_url(str(v or "")))
    if "version" in data:
        try:
            out["version"], _kind = clean_version(str(data.get("version") or "")[:200])
        except ValidationError as error:
            errors["version"] = " ".join(error.messages)
    field("doi", lambda v: clean_doi(str(v or "")[:300]))
    field("licence", lambda v: clean_licence(str(v or "")[:300]))
    if "packaging" in data:
        value = str(data.get("packaging") or "")
        if value and value not in enums.Packaging.values:
            errors["packaging"] = "Choose one of the packagings offered."
        else:
            out["packaging"] = value
    for name, label, maximum in (
        ("gpu_count", "The number of GPUs", 1024),
        ("cpu_cores", "The number of CPU cores", 100_000),
        ("ram_gb", "The RAM", 1_000_000),
        ("disk_gb", "The disk space", 10_000_000),
    ):
        field(
            name,
            lambda v, label=label, maximum=maximum: _number(
                v, label=label, whole=True, maximum=maximum
            ),
        )
    if out.get("gpu_count") is None and "gpu_count" in out:
        out["gpu_count"] = 0
    field("special_hardware", clean_special_hardware)
    field("experiments", clean_experiments)
    field("datasets", clean_datasets)
    if "contact" in data:
        raw = data.get("contact")
        try:
            pk = int(raw) if raw not in (None, "") else None
        except (TypeError, ValueError):
            pk = -1
        if pk is None:
            out["contact"] = None
        elif pk in contacts:
            out["contact"] = contacts[pk]
        else:
            errors["contact"] = (
                "The contact author must be one of the paper's authors with an account."
            )
    if out.get("gpu_model") and not out.get("gpu_count") and "gpu_count" in data:
        errors.setdefault("gpu_count", "Say how many GPUs of that model the artifact needs.")
    if errors:
        raise ValidationError(errors)
    return out


# --- The badges' rules ---------------------------------------------------------------------------


def combination_errors(badges: list) -> list[str]:
    """Sentences for requested ``badges`` (Badge rows with ``requires``/``excludes``
    prefetched) that need a badge not requested, or rule one another out."""
    chosen = {badge.pk for badge in badges}
    problems: list[str] = []
    for badge in badges:
        missing = [b.label for b in badge.requires.all() if b.pk not in chosen]
        if missing:
            problems.append(f"“{badge.label}” can only be requested with “{'”, “'.join(missing)}”.")
    seen: set[frozenset[int]] = set()
    for badge in badges:
        for other in badge.excludes.all():
            pair = frozenset({badge.pk, other.pk})
            if other.pk in chosen and pair not in seen:
                seen.add(pair)
                problems.append(
                    f"“{badge.label}” and “{other.label}” cannot be requested together."
                )
    return problems


def has_value(artifact, name: str) -> bool:
    if name == "hardware":
        return bool(
            artifact.gpu_count or artifact.cpu_cores or artifact.ram_gb or artifact.special_hardware
        )
    if name == "contact":
        return artifact.contact_id is not None
    if name == "appendix":
        return artifact.appendix_id is not None
    value = getattr(artifact, name, None)
    return value not in (None, "", [], {})


def missing_for_badges(artifact, badges: list) -> list[str]:
    """What the requested ``badges`` need that ``artifact`` lacks, a sentence per badge."""
    problems = []
    for badge in badges:
        missing = [
            FIELD_LABELS.get(name, name.replace("_", " "))
            for name in badge.required_fields or []
            if not has_value(artifact, name)
        ]
        if missing:
            problems.append(f"“{badge.label}” needs {_join(missing)}.")
    return problems


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

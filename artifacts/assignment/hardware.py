"""Does an evaluator's hardware fit an artifact's needs? Pure functions, no database.

:func:`fit` is the one answer, read by the bidding page ("fits your hardware / why not"), the
chairs' assignment page and the solver's hard constraint (a misfit pair is never assigned):

- GPUs (``gpu_count > 0``): at least that many GPUs of a matching model among the profile's
  ``gpus`` (their counts add up), or ``cloud_gpus`` on. Models match case- and
  space-insensitively on whole words, vendor names ignored: "A100" matches "NVIDIA A100 80GB"
  and "a100-80gb", "RTX 4090" matches "rtx4090", but "A10" does not match "A100". An empty
  ``gpu_model`` means any GPU.
- CPU cores, RAM, disk: the profile's value is at least the need when a need is stated; a
  stated need with no value in the profile is not a fit (the reason says so).
- Special hardware: each item is among the profile's testbeds (compared without case, spaces
  or punctuation: "TPU v4" = "tpu-v4").
- No profile at all fits only an artifact that needs none of the above.
"""

from __future__ import annotations

import re
from typing import Any

#: Words that name a vendor or a product line, not a GPU model ("NVIDIA A100" is an "A100").
VENDOR_WORDS = frozenset({"nvidia", "amd", "intel", "geforce", "radeon", "tesla", "gpu", "gpus"})
_WORD = re.compile(r"[a-z0-9]+")


def _words(text: Any) -> list[str]:
    return [w for w in _WORD.findall(str(text or "").lower()) if w not in VENDOR_WORDS]


def squash(text: Any) -> str:
    """``text`` lowercased without spaces or punctuation: how testbeds are compared."""
    return "".join(_WORD.findall(str(text or "").lower()))


def gpu_model_matches(needed: str, offered: str) -> bool:
    """Whether an offered GPU ``offered`` is of the ``needed`` model (empty: any GPU).

    The needed model, squashed, must equal a run of consecutive whole words of the offered
    one, squashed: "A100" in "A100 80GB", "RTX 4090" in "rtx4090", not "A10" in "A100"."""
    need = "".join(_words(needed))
    if not need:
        return True
    words = _words(offered)
    for start in range(len(words)):
        run = ""
        for word in words[start:]:
            run += word
            if run == need:
                return True
            if len(run) >= len(need):
                break
    return False


def _count(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return max(number, 0)


def _need(value: Any) -> int | None:
    """A stated need (a positive number), else None."""
    number = _count(value)
    return number or None


def gpu_entries(profile) -> list[tuple[str, int]]:
    """The profile's GPUs as ``(model, count)``, ignoring malformed entries."""
    rows = getattr(profile, "gpus", None) or []
    if not isinstance(rows, list):
        return []
    out = []
    for row in rows:
        if isinstance(row, dict):
            model, count = str(row.get("model") or "").strip(), _count(row.get("count", 1))
            if count:
                out.append((model, count))
    return out


def _items(values: Any) -> list[str]:
    if not isinstance(values, list):
        return []
    return [str(v).strip() for v in values if str(v).strip()]


def needs_anything(artifact) -> bool:
    """Whether the artifact states any hardware need (GPUs, CPU, RAM, disk, special)."""
    return bool(
        _count(getattr(artifact, "gpu_count", 0))
        or _need(getattr(artifact, "cpu_cores", None))
        or _need(getattr(artifact, "ram_gb", None))
        or _need(getattr(artifact, "disk_gb", None))
        or _items(getattr(artifact, "special_hardware", None))
    )


#: The artifact fields :func:`fit` reads: two artifacts equal on them fit the same profiles.
NEED_FIELDS = ("gpu_count", "gpu_model", "cpu_cores", "ram_gb", "disk_gb", "special_hardware")


def needs_key(artifact) -> str:
    """The artifact's :data:`NEED_FIELDS` as one hashable value (for caching :func:`fit`)."""
    return repr(tuple(getattr(artifact, name, None) for name in NEED_FIELDS))


def needs(artifact) -> list[str]:
    """The artifact's hardware needs in words, for people ("4 × A100 GPUs", "64 GB RAM")."""
    out = []
    gpus = _count(getattr(artifact, "gpu_count", 0))
    if gpus:
        model = (getattr(artifact, "gpu_model", "") or "").strip()
        out.append(f"{gpus} × {model} GPU{'s' if gpus > 1 else ''}" if model else _gpus(gpus))
    for attr, unit in (("cpu_cores", "CPU cores"), ("ram_gb", "GB RAM"), ("disk_gb", "GB disk")):
        need = _need(getattr(artifact, attr, None))
        if need:
            out.append(f"{need} {unit}")
    out.extend(_items(getattr(artifact, "special_hardware", None)))
    return out


def _gpus(n: int) -> str:
    return f"{n} GPU{'s' if n != 1 else ''} (any model)"


def fit(profile, artifact) -> tuple[bool, list[str]]:
    """``(ok, reasons)``: whether an evaluator with ``profile`` (a HardwareProfile, or None)
    can run ``artifact``; ``reasons`` says what is missing, one sentence each (empty if ok)."""
    if profile is None:
        if needs_anything(artifact):
            return False, [
                "No hardware profile, and the artifact needs " + ", ".join(needs(artifact)) + "."
            ]
        return True, []
    reasons: list[str] = []
    gpus = _count(getattr(artifact, "gpu_count", 0))
    if gpus and not getattr(profile, "cloud_gpus", False):
        model = (getattr(artifact, "gpu_model", "") or "").strip()
        have = sum(c for m, c in gpu_entries(profile) if gpu_model_matches(model, m))
        if have < gpus:
            what = f"{gpus} × {model}" if model else f"{gpus}"
            has = f"{have} matching" if have else "no matching GPU"
            reasons.append(
                f"Needs {what} GPU{'s' if gpus > 1 else ''}; the profile has {has} "
                "and no cloud GPUs."
            )
    for attr, label in (
        ("cpu_cores", "CPU cores"),
        ("ram_gb", "GB of RAM"),
        ("disk_gb", "GB of disk"),
    ):
        need = _need(getattr(artifact, attr, None))
        if not need:
            continue
        offered = getattr(profile, attr, None)
        if offered is None:
            reasons.append(f"Needs {need} {label}; the profile does not say how many.")
        elif _count(offered) < need:
            reasons.append(f"Needs {need} {label}; the profile has {_count(offered)}.")
    testbeds = {squash(t) for t in _items(getattr(profile, "testbeds", None))}
    for item in _items(getattr(artifact, "special_hardware", None)):
        if squash(item) not in testbeds:
            reasons.append(f"Needs {item}, which is not among the profile's testbeds.")
    return not reasons, reasons

"""Every write of the AE committee: inviting AE evaluators and AE chairs (one, or a CSV, through
the conferences app's invitation services and their email), resending an invitation, an
evaluator's load limit, and the evaluator's own hardware profile.

The conference's invitation services leave the permission to their (program chairs') pages;
these functions check ``artifacts.manage_ae`` themselves and refuse every role but the AE ones,
so an AE chair can never add a PC member or a program chair from here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from artifacts.models import AESettings, HardwareProfile
from artifacts.setup.rules import EVALUATOR_PAGES, MANAGE
from mlsys.conferences import invitation_csv, invitations
from mlsys.conferences.enums import Role
from mlsys.conferences.invitation_csv import Invitee
from mlsys.conferences.models import CommitteeMembership, Conference
from mlsys.conferences.viewer import require
from mlsys.core import audit

REFUSED = "Only the AE chairs and the program chairs can change the AE committee."
AE_ROLES = (Role.AE_EVALUATOR, Role.AE_CHAIR)
ROLE_REFUSED = "From the AE committee pages you can invite AE evaluators and AE chairs only."
MAX_LOAD = invitation_csv.MAX_LOAD_LIMIT

# --- Invitations ------------------------------------------------------------------------------


def invite(*, conference: Conference, invitee: Invitee, actor) -> CommitteeMembership:
    """Invite one AE evaluator or AE chair (the conference's invitation and its email)."""
    _, user = require(actor, MANAGE, conference, REFUSED)
    if invitee.role not in AE_ROLES:
        raise ValidationError({"role": [ROLE_REFUSED]})
    return invitations.invite_member(conference=conference, invitee=invitee, actor=user)


def with_ae_roles(text: str) -> str:
    """The CSV ``text`` with an empty ``role`` read as ae_evaluator (the conference's CSV reads
    it as pc_member): the column is added or filled in; rows keep their numbers."""
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return text  # parse() reports it
    header_at = next((i for i, rec in enumerate(records) if any(c.strip() for c in rec)), None)
    if header_at is None:
        return text
    header = [c.strip().lower() for c in records[header_at]]
    if "email" not in header:
        return text  # parse() reports the header
    if "role" not in header:
        records[header_at] = [*records[header_at], "role"]
        header.append("role")
    at = header.index("role")
    for i, record in enumerate(records):
        if i <= header_at or not any(c.strip() for c in record) or len(record) > len(header):
            continue
        record.extend([""] * (len(header) - len(record)))
        if not record[at].strip():
            record[at] = Role.AE_EVALUATOR
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(records)
    return out.getvalue()


def check_csv(text: str, *, conference: Conference) -> invitation_csv.Report:
    """The conference's CSV report for ``text`` (empty role = AE evaluator), plus a problem on
    every row whose role is not an AE role. Reads only."""
    report = invitation_csv.parse(with_ae_roles(text), conference=conference)
    for row in report.rows:
        # The conference parser lists every committee role (program_chair…), which the AE
        # import refuses anyway: name only the AE ones.
        row.errors = [
            f"row {row.number}: role must be ae_evaluator or ae_chair "
            f"(got '{row.values.get('role', '')}')"
            if e.startswith(f"row {row.number}: role must be one of")
            else e
            for e in row.errors
        ]
        if row.invitee is not None and row.invitee.role not in AE_ROLES:
            row.errors.append(
                f"row {row.number}: role must be ae_evaluator or ae_chair "
                f"(got '{row.values['role']}')"
            )
            row.invitee = None
    return report


def import_csv(*, conference: Conference, text: str, actor) -> list[CommitteeMembership]:
    """Invite everyone in the CSV, all or nothing (ValidationError listing every bad row,
    nothing written). Checked again inside the import's own transaction."""
    _, user = require(actor, MANAGE, conference, REFUSED)
    with transaction.atomic():
        report = check_csv(text, conference=conference)
        if not report.ok:
            raise ValidationError(report.errors)
        return invitations.import_invitations(
            conference=conference, text=with_ae_roles(text), actor=user
        )


def _ae_membership(membership: CommitteeMembership) -> None:
    if membership.role not in AE_ROLES:
        raise ValidationError("This person is not on the AE committee.")


def resend(*, membership: CommitteeMembership, actor) -> CommitteeMembership:
    _, user = require(actor, MANAGE, membership.conference, REFUSED)
    _ae_membership(membership)
    return invitations.resend_invitation(membership=membership, actor=user)


def set_load_limit(
    *, membership: CommitteeMembership, max_load: int | None, actor
) -> CommitteeMembership:
    """An evaluator's own limit of full evaluations (None: the conference default)."""
    _, user = require(actor, MANAGE, membership.conference, REFUSED)
    if membership.role != Role.AE_EVALUATOR:
        raise ValidationError("Only AE evaluators have an evaluation load.")
    if max_load is not None and not 0 <= max_load <= MAX_LOAD:
        raise ValidationError({"max_load": [f"Enter a whole number from 0 to {MAX_LOAD}."]})
    with transaction.atomic():
        locked = CommitteeMembership.objects.select_for_update().get(pk=membership.pk)
        if locked.min_load and max_load is not None and max_load < locked.min_load:
            raise ValidationError(
                {"max_load": [f"Must be at least the minimum load ({locked.min_load})."]}
            )
        if locked.max_load != max_load:
            before = audit.snapshot(locked, ("max_load",))
            locked.max_load = max_load
            locked.save(update_fields=["max_load", "updated_at"])
            audit.record(
                "artifacts.evaluator_load",
                actor=user,
                target=locked,
                conference=locked.conference,
                changes=audit.diff(before, locked),
            )
    return locked


def default_load(conference: Conference) -> int:
    found = (
        AESettings.objects.filter(conference=conference)
        .values_list("evaluations_per_evaluator", flat=True)
        .first()
    )
    return found if found is not None else AESettings().evaluations_per_evaluator


# --- Hardware profile -------------------------------------------------------------------------

HARDWARE_FIELDS = (
    "gpus",
    "cpu_cores",
    "ram_gb",
    "disk_gb",
    "cloud_credits",
    "cloud_gpus",
    "testbeds",
    "notes",
)
MAX_GPU_ROWS = 20
MAX_GPU_COUNT = 1024
MAX_GPU_MODEL = 100
#: Sane upper bounds; above them the number is a typo.
MAXIMA = {"cpu_cores": 100_000, "ram_gb": 1_000_000, "disk_gb": 100_000_000}
MAX_TESTBEDS = 30
MAX_TESTBED = 100
MAX_NOTES = 5000
GPU_LINE = re.compile(r"^\s*(\d+)\s*[x×*]\s*(.+?)\s*$", re.IGNORECASE)


def parse_gpu_lines(text: str) -> list[dict[str, Any]]:
    """``"4 x A100 80GB"`` per line → ``[{"model": "A100 80GB", "count": 4}]``; a line without
    a count means one GPU. Raises ValidationError naming every bad line."""
    rows, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = GPU_LINE.match(line)
        if match:
            count, model = int(match.group(1)), match.group(2)
        else:
            count, model = 1, line.strip()
        rows.append({"model": model, "count": count})
        errors += [f"Line {number}: {e}" for e in _gpu_errors(model, count)]
    if errors:
        raise ValidationError(errors)
    return rows


def _gpu_errors(model: Any, count: Any) -> list[str]:
    errors = []
    if not isinstance(model, str) or not model.strip():
        errors.append("name the GPU model, e.g. “4 x A100 80GB”.")
    elif len(model) > MAX_GPU_MODEL:
        errors.append(f"the GPU model is longer than {MAX_GPU_MODEL} characters.")
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_GPU_COUNT:
        errors.append(f"the number of GPUs must be from 1 to {MAX_GPU_COUNT} (got {count}).")
    return errors


def _clean_hardware(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    if "gpus" in data:
        gpus = data["gpus"] or []
        if not isinstance(gpus, list):
            errors["gpus"] = ["Give a list of GPUs, each with a model and a count."]
        elif len(gpus) > MAX_GPU_ROWS:
            errors["gpus"] = [f"At most {MAX_GPU_ROWS} kinds of GPU."]
        else:
            rows = []
            for i, gpu in enumerate(gpus, start=1):
                model = gpu.get("model") if isinstance(gpu, Mapping) else None
                count = gpu.get("count") if isinstance(gpu, Mapping) else None
                problems = _gpu_errors(model, count)
                if problems:
                    errors.setdefault("gpus", []).extend(f"GPU {i}: {p}" for p in problems)
                else:
                    rows.append({"model": str(model).strip(), "count": count})
            clean["gpus"] = rows
    for name, top in MAXIMA.items():
        if name in data:
            value = data[name]
            if value is not None and (
                not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= top
            ):
                errors[name] = [f"Enter a whole number from 0 to {top:,}."]
            clean[name] = value
    if "testbeds" in data:
        items = [str(t).strip() for t in (data["testbeds"] or []) if str(t).strip()]
        if len(items) > MAX_TESTBEDS:
            errors["testbeds"] = [f"At most {MAX_TESTBEDS} testbeds."]
        elif any(len(t) > MAX_TESTBED for t in items):
            errors["testbeds"] = [f"Each testbed is at most {MAX_TESTBED} characters."]
        clean["testbeds"] = items
    if "cloud_credits" in data:
        clean["cloud_credits"] = (data["cloud_credits"] or "").strip()
        if len(clean["cloud_credits"]) > 200:
            errors["cloud_credits"] = ["At most 200 characters."]
    if "notes" in data:
        clean["notes"] = (data["notes"] or "").strip()
        if len(clean["notes"]) > MAX_NOTES:
            errors["notes"] = [f"At most {MAX_NOTES} characters."]
    if "cloud_gpus" in data:
        clean["cloud_gpus"] = bool(data["cloud_gpus"])
    return clean, errors


def hardware_of(user) -> HardwareProfile:
    """The person's profile (an unsaved empty one if they have none yet)."""
    return HardwareProfile.objects.filter(user=user).first() or HardwareProfile(user=user)


def save_hardware(*, conference: Conference, data: Mapping[str, Any], actor) -> HardwareProfile:
    """Save the actor's own hardware profile (fields of HARDWARE_FIELDS in ``data``; the rest
    kept). Reached from a conference where they evaluate; the profile is theirs everywhere.
    Audited as ``artifacts.hardware_updated``."""
    _, user = require(
        actor,
        EVALUATOR_PAGES,
        conference,
        "Only the conference's AE evaluators keep a hardware profile here.",
    )
    clean, errors = _clean_hardware(data)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        HardwareProfile.objects.get_or_create(user=user)
        profile = HardwareProfile.objects.select_for_update().get(user=user)
        before = audit.snapshot(profile, HARDWARE_FIELDS)
        changed = [n for n in HARDWARE_FIELDS if n in clean and getattr(profile, n) != clean[n]]
        for name in changed:
            setattr(profile, name, clean[name])
        if changed:
            profile.save(update_fields=[*changed, "updated_at"])
            audit.record(
                "artifacts.hardware_updated",
                actor=user,
                target=profile,
                conference=conference,
                changes=audit.diff(before, profile),
            )
    return profile


def gpu_text(profile: HardwareProfile) -> str:
    return "\n".join(f"{g['count']} x {g['model']}" for g in profile.gpus or [])


def hardware_summary(profile: HardwareProfile | None) -> str:
    """One line for the committee table: "4 × A100 80GB; 64 cores; 512 GB RAM; cloud GPUs"."""
    if profile is None:
        return ""
    parts = [f"{g['count']} × {g['model']}" for g in profile.gpus or []]
    if profile.cpu_cores:
        parts.append(f"{profile.cpu_cores} cores")
    if profile.ram_gb:
        parts.append(f"{profile.ram_gb} GB RAM")
    if profile.disk_gb:
        parts.append(f"{profile.disk_gb} GB disk")
    if profile.cloud_gpus:
        parts.append("cloud GPUs")
    parts += list(profile.testbeds or [])
    return "; ".join(parts)

"""Reading and checking a committee CSV before anything is written.

The chair's file has a header row ``name,email,affiliation,side,max_load,role`` (``name`` and
``email`` required, the others optional, any order). Every problem is reported with its row
number as a spreadsheet shows it (the header is row 1), and a file with any problem imports
nothing: :func:`parse` only reads; :func:`mlsys.conferences.invitations.import_invitations`
writes, after parsing again inside its transaction.
"""

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from mlsys.conferences import enums
from mlsys.conferences.models import CommitteeMembership, Conference
from mlsys.conferences.queries import users_by_email

MAX_BYTES = 1_000_000
MAX_ROWS = 2000
COLUMNS = ("name", "email", "affiliation", "side", "max_load", "role")
REQUIRED_COLUMNS = ("name", "email")
MAX_LOAD_LIMIT = 100
_ROLE_NAMES = {
    **{value: value for value in enums.Role.values},
    **{label.lower(): value for value, label in enums.Role.choices},
}


@dataclass(frozen=True)
class Invitee:
    """One person to invite, already validated."""

    name: str
    email: str
    affiliation: str = ""
    side: str = ""
    max_load: int | None = None
    role: str = enums.Role.PC_MEMBER


@dataclass
class Row:
    number: int
    values: dict[str, str]
    invitee: Invitee | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class Report:
    """What a file would import: its rows and every problem, file-level ones first."""

    rows: list[Row] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [*self.file_errors, *(e for row in self.rows for e in row.errors)]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def invitees(self) -> list[Invitee]:
        return [row.invitee for row in self.rows if row.invitee is not None]


def decode(data: bytes) -> str:
    """The text of an uploaded file; a clear ValidationError if it is too big or not UTF-8."""
    if len(data) > MAX_BYTES:
        raise ValidationError(
            f"The file is {len(data) / 1_000_000:.1f} MB; the limit is 1 MB. "
            "Split it into smaller files."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"The file is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}). "
            "Save it as “CSV UTF-8” and upload it again."
        ) from exc


def parse(text: str, *, conference: Conference) -> Report:
    """Check every row of ``text`` against the format and the conference's current committee."""
    report = Report()
    if len(text.encode("utf-8")) > MAX_BYTES:
        report.file_errors.append("The text is larger than 1 MB; split it into smaller files.")
        return report
    if not text.strip():
        report.file_errors.append(
            "The file is empty. The first row must be the header " + ",".join(COLUMNS) + "."
        )
        return report
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        report.file_errors.append(f"The file could not be read as CSV: {exc}.")
        return report

    header_at = next((i for i, rec in enumerate(records) if any(c.strip() for c in rec)), None)
    if header_at is None:
        report.file_errors.append("The file has no values, only separators.")
        return report
    header = [c.strip().lower() for c in records[header_at]]
    header_problem = _header_problem(header)
    if header_problem:
        report.file_errors.append(header_problem)
        return report
    data = [
        (i + 1, rec)
        for i, rec in enumerate(records)
        if i > header_at and any(c.strip() for c in rec)
    ]
    if not data:
        report.file_errors.append("The file has a header but no rows to import.")
        return report
    if len(data) > MAX_ROWS:
        report.file_errors.append(
            f"The file has {len(data)} rows; at most {MAX_ROWS} can be imported at once."
        )
        return report

    seen: dict[tuple[str, str], int] = {}
    for number, record in data:
        row = _read_row(number, header, record)
        report.rows.append(row)
        if row.invitee is None:
            continue
        key = (row.invitee.email, row.invitee.role)
        if key in seen:
            row.errors.append(
                f"row {number}: {row.invitee.email} is already listed in row {seen[key]}"
            )
            row.invitee = None
        else:
            seen[key] = number
    _check_existing(report, conference)
    return report


def _header_problem(header: list[str]) -> str | None:
    expected = ",".join(COLUMNS)
    if "email" not in header and any("@" in cell for cell in header):
        return f"The first row must be the header {expected}; it looks like a data row."
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return (
            f"The header must include the columns {' and '.join(missing)} "
            f"(found: {','.join(header)}). Expected: {expected}."
        )
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        return f"Unknown column “{unknown[0]}” in the header; the columns are {expected}."
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        return f"The column “{repeated[0]}” appears twice in the header."
    return None


def _read_row(number: int, header: list[str], record: list[str]) -> Row:
    if len(record) > len(header):
        return Row(
            number,
            {},
            errors=[f"row {number}: {len(record)} values but the header has {len(header)} columns"],
        )
    values = dict.fromkeys(COLUMNS, "")
    values.update({name: cell.strip() for name, cell in zip(header, record, strict=False)})
    row = Row(number, values)
    errors = row.errors

    name = values["name"]
    if not name:
        errors.append(f"row {number}: name is empty")
    elif len(name) > 200:
        errors.append(f"row {number}: name is longer than 200 characters")
    if len(values["affiliation"]) > 200:
        errors.append(f"row {number}: affiliation is longer than 200 characters")

    email = get_user_model().objects.normalize_email(values["email"]).lower()
    try:
        validate_email(email)
    except ValidationError:
        errors.append(f"row {number}: email must be an email address (got '{values['email']}')")

    role = _ROLE_NAMES.get(values["role"].lower() or enums.Role.PC_MEMBER)
    if role is None:
        errors.append(
            f"row {number}: role must be one of {', '.join(enums.Role.values)} "
            f"(got '{values['role']}')"
        )

    side = values["side"].upper()
    if side and side not in enums.Side.values:
        errors.append(f"row {number}: side must be ML, SYSTEMS or BOTH (got '{values['side']}')")
    elif role in enums.REVIEWING_ROLES and not side:
        errors.append(f"row {number}: side is required for {role} (ML, SYSTEMS or BOTH)")
    elif role and role not in enums.REVIEWING_ROLES and side:
        errors.append(f"row {number}: side must be empty for {role} (got '{values['side']}')")

    max_load = None
    if values["max_load"]:
        try:
            max_load = int(values["max_load"])
        except ValueError:
            max_load = -1
        if not 0 <= max_load <= MAX_LOAD_LIMIT:
            errors.append(
                f"row {number}: max_load must be a whole number from 0 to {MAX_LOAD_LIMIT} "
                f"(got '{values['max_load']}')"
            )

    if not errors:
        row.invitee = Invitee(
            name=name,
            email=email,
            affiliation=values["affiliation"],
            side=side,
            max_load=max_load,
            role=role,
        )
    return row


def _check_existing(report: Report, conference: Conference) -> None:
    """Report rows whose person already holds that role here (any status): one query per kind."""
    users = users_by_email({i.email for i in report.invitees})
    if not users:
        return
    memberships = {
        (m.user_id, m.role): m
        for m in CommitteeMembership.objects.filter(
            conference=conference, user__in=[u.pk for u in users.values()]
        )
    }
    for row in report.rows:
        invitee = row.invitee
        user = users.get(invitee.email) if invitee else None
        existing = memberships.get((user.pk, invitee.role)) if user else None
        if existing is None:
            continue
        row.errors.append(f"row {row.number}: {invitee.email} {describe_existing(existing)}")
        row.invitee = None


def describe_existing(membership: CommitteeMembership) -> str:
    """Why a person cannot be invited again in this role, in words for the chair."""
    role = membership.get_role_display()
    if membership.status == enums.InvitationStatus.INVITED:
        return f"is already invited as {role}"
    if membership.status == enums.InvitationStatus.ACCEPTED:
        return f"is already on the committee as {role}"
    return f"declined an invitation as {role}; use “Invite again” on the committee page"

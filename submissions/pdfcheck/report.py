"""The report dict every check returns, and how it maps to a file's check status."""

from typing import Any

#: Phrase every "could not even be analysed" error starts with.
NOT_PROCESSED = "the file could not be processed"


def issue(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": message, **extra}


def empty_report() -> dict[str, Any]:
    return {
        "valid": True,
        "pages": None,
        "pages_before_references": None,
        "errors": [],
        "warnings": [],
        "metrics": {},
        "anonymity": [],
        "text": "",
    }


def failure(code: str, message: str, **fields: Any) -> dict[str, Any]:
    """A report for a file that is not a usable PDF."""
    report = empty_report()
    report.update(fields)
    report["valid"] = False
    report["errors"] = [issue(code, message), *fields.get("errors", [])]
    return report


def status_of(report: dict[str, Any]) -> str:
    """``submissions.enums.CheckStatus`` value for a report (kept as plain strings here)."""
    if not report.get("valid"):
        return "invalid"
    if report.get("errors"):
        return "failed"
    if report.get("warnings"):
        return "warnings"
    return "passed"

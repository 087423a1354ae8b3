"""``manage.py check_pdf FILE [--conference SLUG --track NAME] [--json]``.

Runs the same isolated check as the upload pipeline. Exit status: 0 the PDF passes (warnings
allowed), 1 it violates the track's spec, 2 it is not a usable PDF, 3 unknown conference/track.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from mlsys.conferences.models import Track
from submissions.pdfcheck import FormatSpec, run_isolated, status_of

EXIT = {"passed": 0, "warnings": 0, "failed": 1, "invalid": 2}
SHOWN = ("valid", "pages", "pages_before_references", "errors", "warnings", "metrics")


class Command(BaseCommand):
    help = "Check a PDF like an uploaded paper: validity, safety, page count, format, anonymity."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Path of the PDF to check.")
        parser.add_argument("--conference", help="Conference slug, e.g. mlsys2027.")
        parser.add_argument("--track", help="Track name or slug (needs --conference).")
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args, **options) -> None:
        spec = self._spec(options.get("conference"), options.get("track"))
        report = run_isolated(options["file"], spec)
        status = status_of(report)
        if options["json"]:
            self.stdout.write(json.dumps({key: report.get(key) for key in SHOWN}, indent=2))
        else:
            self._summary(options["file"], report, status, spec)
        code = EXIT[status]
        if code:
            sys.exit(code)

    def _spec(self, conference: str | None, track: str | None) -> FormatSpec | None:
        if not track and not conference:
            return None
        if not (track and conference):
            raise CommandError("--conference and --track go together.", returncode=3)
        found = (
            Track.objects.filter(conference__slug=conference, slug=track).first()
            or Track.objects.filter(conference__slug=conference, name__iexact=track).first()
        )
        if found is None:
            raise CommandError(f"No track {track!r} in conference {conference!r}.", returncode=3)
        return FormatSpec.from_track(found)

    def _summary(self, path: str, report: dict, status: str, spec: FormatSpec | None) -> None:
        write = self.stdout.write
        verdict = {
            "passed": "passes",
            "warnings": "passes, with warnings",
            "failed": "violates the format spec",
            "invalid": "is not a usable PDF",
        }[status]
        write(f"{path}: {verdict}" + ("" if spec else " (measured only: no track given)"))
        metrics = report.get("metrics") or {}
        if report.get("pages") is not None:
            refs = report.get("pages_before_references")
            write(
                f"  pages: {report['pages']}"
                + (f" ({refs} before the references)" if refs is not None else "")
            )
        block = metrics.get("text_block") or {}
        for label, value in (
            ("paper size", metrics.get("paper_size")),
            ("body font", _unit(metrics.get("body_font_size"), "pt")),
            ("columns", metrics.get("columns")),
            ("text block", _block(block)),
            ("line spacing", _unit(metrics.get("line_spacing_pt"), "pt")),
            ("lines per column", metrics.get("lines_per_column")),
        ):
            if value is not None:
                write(f"  {label}: {value}")
        for heading, items in (("errors", report["errors"]), ("warnings", report["warnings"])):
            if items:
                write(f"  {heading}:")
                for item in items:
                    write(f"    - [{item['code']}] {item['message']}")


def _unit(value, unit: str) -> str | None:
    return None if value is None else f"{value:g} {unit}"


def _block(block: dict) -> str | None:
    if not block:
        return None
    margins = block["margins"]
    return (
        f'{block["width_in"]:g}" × {block["height_in"]:g}" (margins L {margins["left_in"]:g}" '
        f'R {margins["right_in"]:g}" T {margins["top_in"]:g}" B {margins["bottom_in"]:g}")'
    )

"""``manage.py create_conference``: create a conference and invite its first program chair,
optionally starting from a previous conference's setup (deadlines shifted).

Exit codes: 0 created, 2 refused (every problem is printed, nothing is written).
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from mlsys.conferences.creation import NewConference, create_conference
from mlsys.conferences.models import AOE, Conference

#: The command's options for the fields the service names in its messages.
OPTION_OF = {
    "name": "--name",
    "slug": "--slug",
    "timezone": "--time-zone",
    "chair_email": "--chair",
    "chair_name": "--chair-name",
    "shift_days": "--shift-days",
    "copy_from": "--from",
}


class Command(BaseCommand):
    help = (
        "Create a conference and invite its first program chair (by email; an unknown address "
        "gets an account and the invitation email). With --from, copy that conference's setup "
        "(tracks, topics, review forms, extra questions, email wording, settings, deadlines "
        "shifted by --shift-days); no papers, committee or reviews."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="e.g. 'MLSys 2028'")
        parser.add_argument("--slug", required=True, help="e.g. mlsys2028 (appears in URLs)")
        parser.add_argument("--time-zone", default=AOE, help=f"IANA zone (default {AOE}, AoE)")
        parser.add_argument("--chair", required=True, help="the first program chair's email")
        parser.add_argument("--chair-name", default="", help="used if the address has no account")
        parser.add_argument("--from", dest="copy_from", help="slug of a conference to copy")
        parser.add_argument("--shift-days", type=int, default=0, help="move copied deadlines")
        parser.add_argument(
            "--keep-phase-switches",
            action="store_true",
            help="keep the forced open/closed phase switches of --from",
        )

    def handle(self, *args, **options) -> None:
        source = None
        if options["copy_from"]:
            source = Conference.objects.filter(slug=options["copy_from"]).first()
            if source is None:
                raise CommandError(
                    f"--from: no conference with the slug “{options['copy_from']}”.", returncode=2
                )
        elif options["shift_days"] or options["keep_phase_switches"]:
            raise CommandError(
                "--shift-days and --keep-phase-switches need --from (a conference to copy).",
                returncode=2,
            )
        new = NewConference(
            name=options["name"],
            slug=options["slug"],
            timezone=options["time_zone"],
            chair_email=options["chair"],
            chair_name=options["chair_name"],
            copy_from=source,
            shift_days=options["shift_days"],
            keep_phase_switches=options["keep_phase_switches"],
        )
        try:
            created = create_conference(new=new, actor=None)
        except ValidationError as exc:
            lines = [
                f"{OPTION_OF.get(field, field)}: {message}"
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
            raise CommandError("\n".join(lines), returncode=2) from exc
        conference = created.conference
        self.stdout.write(f"Created {conference.name} ({conference.slug}).")
        for label, count in created.copied.items():
            self.stdout.write(f"  copied {count} {label} from {source.slug if source else ''}")
        self.stdout.write(
            f"{created.chair.user.email} is invited as program chair; the invitation email is "
            "in the outbox."
        )

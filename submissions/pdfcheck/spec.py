"""What a track demands of a PDF. ``None`` in a field means "not checked"."""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from typing import Any

ANONYMOUS = ("double_blind", "names_hidden")


@dataclass(frozen=True)
class FormatSpec:
    page_limit: int | None = None
    references_count: bool = False
    appendix_counts: bool = False
    #: "letter", "a4" or "letter_or_a4".
    paper_size: str | None = None
    min_font_size: float | None = None
    #: Maximum number of columns; 0 or None accepts any.
    columns: int | None = None
    max_text_width_in: float | None = None
    max_text_height_in: float | None = None
    #: "double_blind", "names_hidden" or "open".
    anonymity: str = "open"
    author_names: tuple[str, ...] = field(default_factory=tuple)
    author_emails: tuple[str, ...] = field(default_factory=tuple)
    author_affiliations: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_track(cls, track: Any, authors: Iterable[Any] = ()) -> "FormatSpec":
        """The spec of a ``conferences.Track``; ``authors`` are objects with ``name``, ``email``
        and ``affiliation`` (e.g. ``submissions.Author`` rows) whose identities must not leak."""
        authors = list(authors)
        return cls(
            page_limit=track.page_limit,
            references_count=bool(track.references_count),
            appendix_counts=bool(track.appendix_counts),
            paper_size=track.paper_size or None,
            min_font_size=float(track.min_font_size) if track.min_font_size else None,
            columns=track.columns or None,
            max_text_width_in=float(track.max_text_width_in) if track.max_text_width_in else None,
            max_text_height_in=(
                float(track.max_text_height_in) if track.max_text_height_in else None
            ),
            anonymity=track.anonymity,
            author_names=_unique(a.name for a in authors),
            author_emails=_unique(a.email for a in authors),
            author_affiliations=_unique(getattr(a, "affiliation", "") for a in authors),
        )

    def only_anonymity(self) -> "FormatSpec":
        """The same identities and anonymity rule, without format checks (supplements)."""
        return FormatSpec(
            anonymity=self.anonymity,
            author_names=self.author_names,
            author_emails=self.author_emails,
            author_affiliations=self.author_affiliations,
        )

    def without_anonymity(self) -> "FormatSpec":
        """The same format checks for a de-anonymised version (camera-ready)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return FormatSpec(**{**values, "anonymity": "open"})

    @property
    def is_anonymous(self) -> bool:
        return self.anonymity in ANONYMOUS

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("author_names", "author_emails", "author_affiliations"):
            data[key] = list(data[key])
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "FormatSpec":
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        for key in ("author_names", "author_emails", "author_affiliations"):
            if key in values:
                values[key] = tuple(values[key])
        return cls(**values)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        value = (value or "").strip()
        if value:
            seen.setdefault(value, None)
    return tuple(seen)

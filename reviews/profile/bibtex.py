"""A small, strict BibTeX reader for reviewers' expertise: title, abstract and year per entry.

Only what the profile needs: publication entries (``@article``, ``@inproceedings`` and the other
common types) with brace- or quote-delimited values, ``#`` concatenation of ``@string``
macros and literals, and the common LaTeX accents. Anything it cannot read is reported with the
line it starts on, and the rest of the file is still read.
"""

import re
import unicodedata
from dataclasses import dataclass, field

#: Largest file accepted (bytes); a reviewer's publication list is far smaller.
MAX_BYTES = 1_000_000
MAX_ENTRIES = 500

PUBLICATION_TYPES = frozenset(
    {
        "article",
        "inproceedings",
        "conference",
        "incollection",
        "inbook",
        "book",
        "phdthesis",
        "mastersthesis",
        "techreport",
        "misc",
        "unpublished",
    }
)
SKIPPED_TYPES = frozenset({"comment", "preamble"})
#: BibTeX's predefined month macros (their value is irrelevant here; they must just resolve).
MONTHS = dict.fromkeys(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), ""
)

_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
}
_SYMBOLS = {
    "ss": "ß",
    "o": "ø",
    "O": "Ø",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
}
_ACCENT_RE = re.compile(r"""\\([`'^"~=.])\s*(?:\{\s*(\\?[A-Za-z])\s*\}|(\\?[A-Za-z]))""")
_LETTER_ACCENT_RE = re.compile(r"\\([uvHckr])(?:\s*\{\s*(\\?[A-Za-z])\s*\}|\s+([A-Za-z]))")
_SYMBOL_RE = re.compile(r"\\(ss|ae|AE|oe|OE|aa|AA|[oOlLij])(?![A-Za-z])\s*(?:\{\})?")
_ESCAPED_RE = re.compile(r"\\([&%$#_{}])")
_COMMAND_RE = re.compile(r"\\[A-Za-z]+\*?\s*")
_ENTRY_START = re.compile(r"[ \t]*@[A-Za-z]+\s*[{(]")


@dataclass
class Entry:
    line: int
    key: str
    title: str
    abstract: str = ""
    year: int | None = None


@dataclass
class Result:
    entries: list[Entry] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


class _Malformed(Exception):
    def __init__(self, message: str, pos: int):
        super().__init__(message)
        self.pos = pos


def parse(text: str) -> Result:
    """Read every entry of ``text``; never raises on bad input (problems go to ``errors``)."""
    result = Result()
    macros = dict(MONTHS)
    reader = _Reader(text)
    while (start := text.find("@", reader.pos)) != -1:
        reader.pos = start + 1
        try:
            kind, key, fields = reader.entry(macros)
        except _Malformed as exc:
            result.errors.append((reader.line_of(start), f"{exc} (entry skipped)"))
            reader.pos = _next_entry(text, max(exc.pos, start + 1))
            continue
        if kind is None:
            continue
        if kind == "string":
            macros.update(fields)
            continue
        if kind not in PUBLICATION_TYPES:
            continue
        line = reader.line_of(start)
        title = to_text(fields.get("title", ""))
        if not title:
            result.errors.append((line, f"Entry “{key}” has no title (entry skipped)"))
            continue
        year = _year(fields.get("year", ""))
        if fields.get("year") and year is None:
            result.errors.append((line, f"Entry “{key}”: year “{fields['year']}” is not a year"))
        result.entries.append(
            Entry(
                line=line,
                key=key,
                title=title[:500],
                abstract=to_text(fields.get("abstract", "")),
                year=year,
            )
        )
        if len(result.entries) >= MAX_ENTRIES:
            result.errors.append((line, f"Only the first {MAX_ENTRIES} entries are read"))
            break
    return result


def to_text(value: str) -> str:
    """LaTeX-ish field text as plain Unicode: accents applied, braces and commands dropped."""

    def accent(match: re.Match) -> str:
        letter = match.group(2) or match.group(3)
        # An accent on a dotless \i or \j is just an accented i or j.
        base = letter.lstrip("\\")
        if letter.startswith("\\") and base not in "ij":
            base = _SYMBOLS.get(base, base)
        return unicodedata.normalize("NFC", base + _ACCENTS[match.group(1)])

    value = _ACCENT_RE.sub(accent, value)
    value = _LETTER_ACCENT_RE.sub(accent, value)
    value = _SYMBOL_RE.sub(lambda m: _SYMBOLS[m.group(1)], value)
    value = _ESCAPED_RE.sub(r"\1", value)
    value = value.replace("--", "–").replace("~", " ")
    value = _COMMAND_RE.sub("", value)
    value = value.replace("{", "").replace("}", "")
    return " ".join(value.split())


def _year(value: str) -> int | None:
    match = re.fullmatch(r"\s*\{?\s*(\d{4})\s*\}?\s*", value)
    if not match:
        return None
    year = int(match.group(1))
    return year if 1900 <= year <= 2100 else None


def _next_entry(text: str, pos: int) -> int:
    """Where to resume after a malformed entry: the next ``@`` at the start of a line."""
    match = re.compile(r"^\s*@", re.MULTILINE).search(text, pos)
    return match.start() if match else len(text)


class _Reader:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def line_of(self, pos: int) -> int:
        return self.text.count("\n", 0, pos) + 1

    def _skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def _peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def _name(self) -> str:
        match = re.compile(r"[A-Za-z0-9_:\-./+']+").match(self.text, self.pos)
        if not match:
            return ""
        self.pos = match.end()
        return match.group(0)

    def entry(self, macros: dict[str, str]) -> tuple[str | None, str, dict[str, str]]:
        kind = self._name().lower()
        if not kind:
            raise _Malformed("“@” is not followed by an entry type", self.pos)
        self._skip_space()
        opener = self._peek()
        if opener not in "{(" or not opener:
            raise _Malformed(f"@{kind} is not followed by “{{”", self.pos)
        closer = "}" if opener == "{" else ")"
        self.pos += 1
        if kind in SKIPPED_TYPES:
            self._balanced("{", "}") if opener == "{" else self._until(")")
            return None, "", {}
        key = ""
        if kind != "string":
            self._skip_space()
            key = self._name()
            self._skip_space()
            if self._peek() == ",":
                self.pos += 1
            elif self._peek() != closer:
                raise _Malformed(f"@{kind} entry “{key}”: a comma must follow the key", self.pos)
        fields: dict[str, str] = {}
        while True:
            self._skip_space()
            if self._peek() == closer:
                self.pos += 1
                return kind, key, fields
            name = self._name().lower()
            if not name:
                raise _Malformed(
                    f"@{kind} entry “{key}”: expected a field name or the closing “{closer}”",
                    self.pos,
                )
            self._skip_space()
            if self._peek() != "=":
                raise _Malformed(f"@{kind} entry “{key}”: field “{name}” has no “=”", self.pos)
            self.pos += 1
            fields[name] = self._value(macros, kind, key, name)
            self._skip_space()
            if self._peek() == ",":
                self.pos += 1
            elif self._peek() != closer:
                raise _Malformed(
                    f"@{kind} entry “{key}”: missing comma after field “{name}”", self.pos
                )

    def _value(self, macros: dict[str, str], kind: str, key: str, name: str) -> str:
        parts = []
        while True:
            self._skip_space()
            char = self._peek()
            if char == "{":
                self.pos += 1
                parts.append(
                    self._balanced("{", "}", what=f"@{kind} entry “{key}”, field “{name}”")
                )
            elif char == '"':
                self.pos += 1
                parts.append(self._quoted(f"@{kind} entry “{key}”, field “{name}”"))
            elif char.isalnum():
                word = self._name()
                parts.append(word if word.isdigit() else macros.get(word.lower(), word))
            else:
                raise _Malformed(f"@{kind} entry “{key}”: field “{name}” has no value", self.pos)
            self._skip_space()
            if self._peek() != "#":
                return "".join(parts)
            self.pos += 1

    def _balanced(self, opener: str, closer: str, what: str = "entry") -> str:
        depth, start = 1, self.pos
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\":
                self.pos += 2
                continue
            if char == opener:
                depth += 1
            elif char == closer:
                depth -= 1
                if depth == 0:
                    self.pos += 1
                    return self.text[start : self.pos - 1]
            elif char == "\n" and _ENTRY_START.match(self.text, self.pos + 1):
                # A new entry begins inside this value: the value lacks its closing brace.
                break
            self.pos += 1
        raise _Malformed(f"{what}: unbalanced braces (no closing “{closer}”)", start)

    def _quoted(self, what: str) -> str:
        depth, start = 0, self.pos
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\":
                self.pos += 2
                continue
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            elif char == '"' and depth == 0:
                self.pos += 1
                return self.text[start : self.pos - 1]
            self.pos += 1
        raise _Malformed(f"{what}: unterminated quoted value", start)

    def _until(self, closer: str) -> str:
        end = self.text.find(closer, self.pos)
        if end == -1:
            raise _Malformed(f"no closing “{closer}”", self.pos)
        start, self.pos = self.pos, end + 1
        return self.text[start:end]

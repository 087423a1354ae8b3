"""Django's ``{# … #}`` comment ends on the line it starts: spread over two lines it is no
comment at all, and the page shows it as text (an author's paper page read "{# Refreshed by the
check report when a check finishes; … #}" above its versions). Longer comments use
``{% comment %}``."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _templates() -> list[Path]:
    bases = [ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("mlsys/*/templates")]
    return [path for base in bases for path in base.rglob("*.html")]


def unclosed_comments(source: str) -> list[int]:
    """Numbers of the lines where a ``{#`` is not closed by ``#}`` on the same line."""
    lines = []
    for number, line in enumerate(source.splitlines(), 1):
        rest = line
        while "{#" in rest:
            rest = rest.split("{#", 1)[1]
            if "#}" not in rest:
                lines.append(number)
                break
            rest = rest.split("#}", 1)[1]
    return lines


def test_the_check_finds_a_comment_spread_over_two_lines():
    assert unclosed_comments("{# one line #}\n<p>{# a\n b #}</p>\n{# c #}{# d") == [2, 4]


def test_no_template_comment_spans_lines():
    assert len(_templates()) > 100
    problems = {
        path.relative_to(ROOT).as_posix(): found
        for path in _templates()
        if (found := unclosed_comments(path.read_text()))
    }
    assert not problems, problems

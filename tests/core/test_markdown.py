import pytest

from mlsys.core.markdown import render


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="#" onclick="steal()">x</a>',
        "<iframe src=//evil></iframe>",
        '<div style="background:url(javascript:alert(1))">x</div>',
    ],
)
def test_nothing_that_runs_survives(hostile):
    html = render(hostile)
    assert "<script" not in html
    assert "onerror" not in html
    assert "onclick" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html
    assert "style=" not in html


def test_markdown_and_math_are_rendered():
    html = render("**bold** and $x^2 < y$\n\n$$\\sum_i a_i$$")
    assert "<strong>bold</strong>" in html
    assert '<span class="math-inline">x^2 &lt; y</span>' in html
    assert '<div class="math-display">\\sum_i a_i</div>' in html


def test_dollar_amounts_and_code_are_not_math():
    html = render("costs $5 and $6, see `$HOME`")
    assert "math-inline" not in html
    assert "<code>$HOME</code>" in html


def test_math_cannot_smuggle_html():
    html = render("$<script>alert(1)</script>$")
    assert "<script" not in html

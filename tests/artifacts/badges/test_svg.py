"""The seals we draw: valid SVG, deterministic, hostile labels and colours escaped."""

import xml.etree.ElementTree as ET

import pytest

from artifacts.badges import svg

NS = "{http://www.w3.org/2000/svg}"


def _text(tree) -> str:
    return " ".join(t.text or "" for t in tree.iter(f"{NS}tspan"))


def test_a_seal_parses_and_carries_its_label_wrapped():
    drawn = svg.seal("Artifacts Evaluated – Functional", "#c0392b", height="0.6in")
    tree = ET.fromstring(drawn)
    assert tree.tag == f"{NS}svg"
    assert tree.get("height") == "0.6in" and tree.get("width") == "0.500in"
    assert tree.get("aria-label") == "Artifacts Evaluated – Functional"
    assert len(list(tree.iter(f"{NS}tspan"))) == 3
    assert _text(tree) == "Artifacts Evaluated – Functional"
    fills = {e.get("fill") for e in tree.iter() if e.get("fill")}
    assert "#c0392b" in fills


def test_seals_are_deterministic():
    assert svg.seal("Results Reproduced", "#1f6fa8") == svg.seal("Results Reproduced", "#1f6fa8")


@pytest.mark.parametrize(
    "label",
    [
        "<script>alert(1)</script>",
        '"/><image href="https://evil.example/x.png"/>',
        "]]><!ENTITY x SYSTEM 'file:///etc/passwd'>&x;",
        "a" * 500,
        "",
    ],
)
def test_hostile_labels_are_escaped(label):
    drawn = svg.seal(label, "#000000")
    tree = ET.fromstring(drawn)  # still one well-formed element
    assert "<script" not in drawn and "<image" not in drawn and "<!ENTITY" not in drawn
    assert not list(tree.iter(f"{NS}script")) and not list(tree.iter(f"{NS}image"))
    assert all(len(line) <= 13 for line in svg.wrap(label))
    assert len(svg.wrap(label)) <= 4


@pytest.mark.parametrize("colour", ['red" onload="alert(1)', "#12345", "url(#x)", None, "#ABCDEF"])
def test_a_colour_that_is_not_hex_falls_back(colour):
    drawn = svg.seal("Badge", colour)
    assert "onload" not in drawn and "url(" not in drawn
    expected = "#abcdef" if colour == "#ABCDEF" else svg.DEFAULT_COLOUR
    assert f'fill="{expected}"' in drawn


def test_a_hostile_height_is_ignored():
    tree = ET.fromstring(svg.seal("Badge", height='1in" onload="x'))
    assert tree.get("height") is None and tree.get("onload") is None


def test_wrapping_cuts_long_words_and_marks_what_is_left_out():
    assert svg.wrap("Artifacts Available") == ["Artifacts", "Available"]
    assert svg.wrap("Supercalifragilisticexpialidocious") == [
        "Supercalifrag",
        "ilisticexpial",
        "idocious",
    ]
    lines = svg.wrap("one two three four five six seven eight nine ten eleven twelve thirteen")
    assert len(lines) == 4 and lines[-1].endswith("…")


def test_the_sprite_defines_each_seal_once_and_use_draws_it():
    class B:
        def __init__(self, pk, label, colour):
            self.pk, self.label, self.colour = pk, label, colour

    sprite = ET.fromstring(svg.sprite([B(1, "A <b>", "#111111"), B(2, "B", "bad")]))
    assert [s.get("id") for s in sprite.iter(f"{NS}symbol")] == ["seal-1", "seal-2"]
    used = ET.fromstring(svg.use(2, 'B "quoted"', height="40px"))
    assert used.get("aria-label") == 'B "quoted"'
    assert used.find(f"{NS}use").get("href") == "#seal-2"

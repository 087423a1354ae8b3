"""The ``counted`` filter: "1 review form", "2 review forms", "no tracks"."""

import pytest

from mlsys.conferences.templatetags.counting import counted


@pytest.mark.parametrize(
    ("count", "label", "expected"),
    [
        (0, "review forms", "no review forms"),
        (1, "review forms", "1 review form"),
        (2, "review forms", "2 review forms"),
        (1, "phase switches", "1 phase switch"),
        (1, "extra questions", "1 extra question"),
        (1, "tracks", "1 track"),
        (1, "decision outcomes", "1 decision outcome"),
        (1, "deadlines", "1 deadline"),
        (1, "phase switches (forced open or closed)", "1 phase switch (forced open or closed)"),
    ],
)
def test_counted(count, label, expected):
    assert counted(count, label) == expected

"""Each rule of the registration, with hostile and oversized input: a clear sentence, nothing
stored."""

import pytest
from django.core.exceptions import ValidationError

from artifacts.registration import validation as v
from artifacts.registration.validation import clean


def errors(data, contacts=None):
    with pytest.raises(ValidationError) as caught:
        clean(data, contacts=contacts or {})
    return caught.value.message_dict


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("3f2c1a9b7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b", "commit"),
        ("3F2C1A9", "commit"),
        ("v1.0", "tag"),
        ("mlsys26-ae", "tag"),
        ("refs/tags/v2.1.3", "tag"),
    ],
)
def test_versions_accepted(raw, kind):
    assert v.clean_version(raw)[1] == kind


@pytest.mark.parametrize(
    "raw",
    ["main", "master", "HEAD", "develop", "refs/heads/v1", "feature/x", "v1..2", "a b1", "3f2c"],
)
def test_versions_refused(raw):
    with pytest.raises(ValidationError) as caught:
        v.clean_version(raw)
    assert "commit hash" in caught.value.messages[0]


def test_branch_named_in_the_message():
    with pytest.raises(ValidationError, match="“main” is a branch"):
        v.clean_version("main")


@pytest.mark.parametrize(
    ("raw", "doi"),
    [
        ("10.5281/zenodo.1234567", "10.5281/zenodo.1234567"),
        ("https://doi.org/10.5281/zenodo.1234567", "10.5281/zenodo.1234567"),
        ("http://dx.doi.org/10.6084/m9.figshare.1", "10.6084/m9.figshare.1"),
        ("doi:10.1145/3620666.3651324", "10.1145/3620666.3651324"),
        ("", ""),
    ],
)
def test_doi_normalised(raw, doi):
    assert v.clean_doi(raw) == doi


@pytest.mark.parametrize(
    "raw", ["zenodo.123", "10.12/x", "https://zenodo.org/record/1", "10.5281/ spaced"]
)
def test_doi_refused(raw):
    with pytest.raises(ValidationError, match="A DOI looks like"):
        v.clean_doi(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "MIT",
        "Apache-2.0",
        "CC-BY-4.0",
        "MIT OR Apache-2.0",
        "(MIT AND BSD-3-Clause)",
        "GPL-2.0-only WITH Classpath-exception-2.0",
    ],
)
def test_licences_accepted(raw):
    assert v.clean_licence(raw)


@pytest.mark.parametrize("raw", ["MIT license!", "AND", "MIT OR", "<script>", "MIT MIT"])
def test_licences_refused(raw):
    with pytest.raises(ValidationError, match="SPDX"):
        v.clean_licence(raw)


def test_repository_url():
    assert errors({"repository_url": "javascript:alert(1)"})["repository_url"][0].startswith(
        "Give the repository as a web address"
    )
    assert (
        "credentials"
        in errors({"repository_url": "https://u:p@github.com/a/b"})["repository_url"][0]
    )


def test_ten_megabytes_of_text_is_refused_with_its_size():
    message = errors({"summary": "x" * (10 * 1024 * 1024)})["summary"][0]
    assert message == "The summary is 10,485,760 characters long; at most 20,000."


def test_five_thousand_experiment_rows():
    rows = "\n".join(f"E{i} | 1 | 1" for i in range(5000))
    assert errors({"experiments": rows})["experiments"] == [
        "At most 100 experiments (you gave 5,000)."
    ]
    api_rows = [{"name": f"E{i}", "human_minutes": 1, "compute_hours": 1} for i in range(5000)]
    assert "At most 100" in errors({"experiments": api_rows})["experiments"][0]


def test_experiment_rows_are_checked():
    assert "not a number" in errors({"experiments": "Fig 1 | ten | 1"})["experiments"][0]
    assert "whole number" in errors({"experiments": "Fig 1 | 1.5 | 1"})["experiments"][0]
    assert "between 0 and" in errors({"experiments": "Fig 1 | -3 | 1"})["experiments"][0]
    assert "between 0 and" in errors({"experiments": "Fig 1 | 1 | inf"})["experiments"][0]
    assert "give the human time" in errors({"experiments": "Fig 1"})["experiments"][0]
    assert clean({"experiments": "Fig 1 | 10 | 2.5"}, contacts={})["experiments"] == [
        {"name": "Fig 1", "human_minutes": 10, "compute_hours": 2.5}
    ]


def test_dataset_rows_are_checked():
    assert "say “dataset” or “model”" in errors({"datasets": "X | table | 1"})["datasets"][0]
    assert "give its size" in errors({"datasets": "X | model"})["datasets"][0]
    assert "not a web address" in errors({"datasets": "X | model | 1 | ftp:/x"})["datasets"][0]
    assert clean({"datasets": "Llama | model | 13"}, contacts={})["datasets"][0]["size_gb"] == 13.0


def test_hardware_numbers_and_lines():
    assert errors({"gpu_count": "2000"})["gpu_count"] == [
        "The number of GPUs must be between 0 and 1,024."
    ]
    assert "not a number" in errors({"ram_gb": "lots"})["ram_gb"][0]
    assert (
        "At most 50" in errors({"special_hardware": "\n".join(["TPU"] * 51)})["special_hardware"][0]
    )


def test_contact_must_be_an_author_with_an_account():
    assert (
        "one of the paper's authors"
        in errors({"contact": "999"}, contacts={1: object()})["contact"][0]
    )
    assert "one of the paper's authors" in errors({"contact": "'; drop"}, contacts={})["contact"][0]


def test_every_bad_field_reported_at_once():
    found = errors({"version": "main", "doi": "x", "licence": "?", "packaging": "floppy"})
    assert set(found) == {"version", "doi", "licence", "packaging"}

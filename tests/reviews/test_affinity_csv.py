"""Chairs' CSV upload of affinity scores: all or nothing, every bad row reported."""

import pytest

from mlsys.core.models import AuditEvent
from reviews.affinity.csv_import import ScoresRejected, import_scores
from reviews.models import Affinity
from tests import factories


@pytest.fixture
def papers(conference):
    return [factories.SubmissionFactory(conference=conference, number=n) for n in (1, 2, 3)]


def _stored(conference, source="uploaded"):
    return sorted(
        Affinity.objects.filter(conference=conference, source=source).values_list(
            "submission__number", "user__email", "score"
        )
    )


def test_good_file_with_header_is_imported(
    conference, papers, chair, ml_reviewer, systems_reviewer
):
    data = (
        "paper,reviewer,score\n"
        f"1,{ml_reviewer.email},0.9\n"
        f"2, {systems_reviewer.email.upper()} ,0.25\n"
        "\n"
        f"3,{ml_reviewer.email},0\n"
    ).encode()

    result = import_scores(conference, data, actor=chair)

    assert (result.imported, result.skipped_own, result.replaced) == (3, 0, 0)
    assert _stored(conference) == [
        (1, ml_reviewer.email, 0.9),
        (2, systems_reviewer.email, 0.25),
        (3, ml_reviewer.email, 0.0),
    ]
    event = AuditEvent.objects.get(action="affinity.uploaded")
    assert event.actor == chair and "3 pairs" in event.note


def test_headerless_file_replaces_previous_upload_of_that_source(conference, papers, ml_reviewer):
    import_scores(conference, f"1,{ml_reviewer.email},0.5\n".encode())
    factories.AffinityFactory(
        conference=conference, submission=papers[0], user=ml_reviewer, source="tfidf", score=0.1
    )

    result = import_scores(conference, f"2,{ml_reviewer.email},0.7\n".encode())

    assert result.replaced == 1
    assert _stored(conference) == [(2, ml_reviewer.email, 0.7)]
    assert _stored(conference, "tfidf") == [(1, ml_reviewer.email, 0.1)]


def test_bad_rows_are_all_reported_and_nothing_is_imported(
    conference, papers, ml_reviewer, outsider
):
    import_scores(conference, f"3,{ml_reviewer.email},0.4\n".encode())
    data = (
        f"1,{ml_reviewer.email},0.9\n"  # line 1: good
        f"99,{ml_reviewer.email},0.5\n"  # 2: unknown paper
        "2,nobody@example.org,0.5\n"  # 3: unknown reviewer
        f"2,{outsider.email},0.5\n"  # 4: not on the PC
        f"2,{ml_reviewer.email},high\n"  # 5: not a number
        f"1,{ml_reviewer.email},0.3\n"  # 6: duplicate of line 1
        f"2,{ml_reviewer.email}\n"  # 7: two columns
        f"2,{ml_reviewer.email},nan\n"  # 8: not finite
        f"2,{ml_reviewer.email},1.5\n"  # 9: out of range
    ).encode()

    with pytest.raises(ScoresRejected) as caught:
        import_scores(conference, data)

    errors = {e.line: e.message for e in caught.value.errors}
    assert caught.value.total == 8
    assert sorted(errors) == [2, 3, 4, 5, 6, 7, 8, 9]
    assert "No paper number 99" in errors[2]
    assert "nobody@example.org" in errors[3]
    assert outsider.email in errors[4]
    assert "“high” is not a number" in errors[5]
    assert "already appear on line 1" in errors[6]
    assert "Expected 3 columns" in errors[7]
    assert "not a number" in errors[8]
    assert "outside [0, 1]" in errors[9]
    # The previous upload survives untouched.
    assert _stored(conference) == [(3, ml_reviewer.email, 0.4)]


def test_rescale_maps_the_file_range_onto_zero_one(conference, papers, ml_reviewer):
    data = f"1,{ml_reviewer.email},-2\n2,{ml_reviewer.email},3\n3,{ml_reviewer.email},0.5\n"
    import_scores(conference, data.encode(), rescale=True, source="specter")
    assert _stored(conference, "specter") == [
        (1, ml_reviewer.email, 0.0),
        (2, ml_reviewer.email, 1.0),
        (3, ml_reviewer.email, 0.5),
    ]


def test_rescale_of_a_range_wider_than_a_float_stays_finite(conference, papers, ml_reviewer):
    data = f"1,{ml_reviewer.email},1e308\n2,{ml_reviewer.email},-1e308\n3,{ml_reviewer.email},0\n"
    import_scores(conference, data.encode(), rescale=True)
    assert _stored(conference) == [
        (1, ml_reviewer.email, 1.0),
        (2, ml_reviewer.email, 0.0),
        (3, ml_reviewer.email, 0.5),
    ]


def test_a_line_too_long_for_csv_is_a_reported_row(conference, papers, ml_reviewer):
    data = f"1,{ml_reviewer.email},0.5\n2,{'x' * 200_000},0.5\n".encode()
    with pytest.raises(ScoresRejected) as caught:
        import_scores(conference, data)
    assert caught.value.errors[0].line == 2
    assert "longer than" in caught.value.errors[0].message
    assert _stored(conference) == []


def test_non_ascii_digits_are_not_paper_numbers(conference, papers, ml_reviewer):
    data = f"²,{ml_reviewer.email},0.5\n١,{ml_reviewer.email},0.5\n".encode()
    with pytest.raises(ScoresRejected) as caught:
        import_scores(conference, data)
    assert [e.line for e in caught.value.errors] == [1, 2]
    assert "is not a paper number" in caught.value.errors[0].message
    assert _stored(conference) == []


def test_own_paper_pairs_are_skipped(conference, ml_reviewer):
    factories.SubmissionFactory(conference=conference, number=1, authors=[ml_reviewer])
    factories.SubmissionFactory(conference=conference, number=2)
    data = f"1,{ml_reviewer.email},0.9\n2,{ml_reviewer.email},0.8\n".encode()

    result = import_scores(conference, data)

    assert (result.imported, result.skipped_own) == (1, 1)
    assert _stored(conference) == [(2, ml_reviewer.email, 0.8)]


def test_a_file_of_own_paper_pairs_only_keeps_the_previous_scores(conference, ml_reviewer):
    factories.SubmissionFactory(conference=conference, number=1, authors=[ml_reviewer])
    factories.SubmissionFactory(conference=conference, number=2)
    import_scores(conference, f"2,{ml_reviewer.email},0.4\n".encode(), source="specter")
    conference.affinity_source = ""
    conference.save(update_fields=["affinity_source"])

    with pytest.raises(ScoresRejected) as caught:
        import_scores(conference, f"1,{ml_reviewer.email},0.9\n".encode(), source="specter")

    assert "own papers" in caught.value.errors[0].message
    assert _stored(conference, "specter") == [(2, ml_reviewer.email, 0.4)]
    conference.refresh_from_db()
    assert conference.affinity_source == ""


def test_reserved_or_malformed_source_is_refused(conference, papers, ml_reviewer):
    data = f"1,{ml_reviewer.email},0.9\n".encode()
    with pytest.raises(ValueError, match="reserved"):
        import_scores(conference, data, source="tfidf")
    with pytest.raises(ValueError, match="lower-case"):
        import_scores(conference, data, source="My Scores")
    assert not Affinity.objects.exists()


@pytest.mark.parametrize("source", ["minilm", "combined"])
def test_a_backend_name_is_reserved_even_where_its_extra_is_not_installed(
    conference, papers, ml_reviewer, monkeypatch, source
):
    """Uploaded under "minilm" here, the scores would be replaced by the first run of that
    backend after the extra is installed."""
    from reviews.affinity import embeddings

    monkeypatch.setattr(embeddings, "missing_packages", lambda: ["sentence_transformers"])
    with pytest.raises(ValueError, match="reserved for computed scores"):
        import_scores(conference, f"1,{ml_reviewer.email},0.5\n".encode(), source=source)
    assert not Affinity.objects.exists()


def test_non_utf8_and_empty_files_are_refused(conference, papers):
    with pytest.raises(ValueError, match="UTF-8"):
        import_scores(conference, b"\xff\xfe1,a,0.5")
    with pytest.raises(ScoresRejected):
        import_scores(conference, b"paper,reviewer,score\n")
    assert not Affinity.objects.exists()


# --- Column order and files from external expertise models ---------------------------------


@pytest.mark.parametrize(
    "header, row",
    [
        ("reviewer,paper,score", "{email},2,0.6"),
        ("Score , Submission ID, Reviewer Email", "0.6,2,{email}"),
        ("user,affinity,paper_id", "{email},0.6,2"),
    ],
)
def test_a_header_sets_the_column_order(conference, papers, ml_reviewer, header, row):
    data = f"{header}\n{row.format(email=ml_reviewer.email)}\n".encode()

    result = import_scores(conference, data)

    assert _stored(conference) == [(2, ml_reviewer.email, 0.6)]
    assert result.columns.endswith("(from the header)")


def test_tpms_order_without_header_is_recognised(conference, papers, ml_reviewer):
    data = f"# TPMS scores\r\n{ml_reviewer.email},1,0.3\r\n{ml_reviewer.email},3,0.9\r\n"

    result = import_scores(conference, ("\ufeff" + data).encode())

    assert result.columns == "reviewer, paper, score (TPMS order)"
    assert _stored(conference) == [(1, ml_reviewer.email, 0.3), (3, ml_reviewer.email, 0.9)]


def test_openreview_ids_get_a_message_that_says_what_to_do(conference, papers, ml_reviewer):
    data = f"aBc123XyZ,{ml_reviewer.email},0.5\n1,~Ada_Lovelace1,0.5\n".encode()

    with pytest.raises(ScoresRejected) as caught:
        import_scores(conference, data)

    assert caught.value.columns == "paper, reviewer, score"
    errors = {e.line: e.message for e in caught.value.errors}
    assert "not a paper number" in errors[1] and "dataset downloaded from this page" in errors[1]
    assert "OpenReview profile id" in errors[2] and "by email" in errors[2]

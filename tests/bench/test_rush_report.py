"""The rush benchmark's verdict (bench/rush/report.py): what counts as lost, the percentiles,
the knee, and where its table goes in docs/reliability.md."""

from collections import Counter

from bench.rush import report
from bench.rush.authors import Flow, Step, author_pdf


def flow(number, sha, *, upload_status=302, email=None):
    f = Flow(index=number, number=number, email=email or f"a{number}@x.org", sha256=sha)
    f.steps = [Step("login", 1.0, 302), Step("page", 0.5, 200), Step("upload", 0.3, upload_status)]
    return f


def state(*papers):
    return {"papers": {str(n): {"email": e, "files": files} for n, e, files in papers}}


def test_an_acknowledged_upload_stored_checked_and_receipted_once_is_not_lost():
    verdict = report.verify_flows(
        [flow(1, "aa")],
        state((1, "a1@x.org", [{"sha256": "aa", "status": "passed"}])),
        Counter({"a1@x.org": 1}),
    )
    assert verdict == {"lost": 0, "problems": {}, "unacknowledged_stored": 0}


def test_missing_unchecked_or_wrongly_receipted_uploads_are_lost():
    flows = [flow(1, "aa"), flow(2, "bb"), flow(3, "cc"), flow(4, "dd")]
    verdict = report.verify_flows(
        flows,
        state(
            (1, "a1@x.org", [{"sha256": "other", "status": "passed"}]),
            (2, "a2@x.org", [{"sha256": "bb", "status": "pending"}]),
            (3, "a3@x.org", [{"sha256": "cc", "status": "passed"}]),
            (4, "a4@x.org", [{"sha256": "dd", "status": "passed"}]),
        ),
        Counter({"a1@x.org": 1, "a2@x.org": 1, "a3@x.org": 2}),
    )
    assert verdict["lost"] == 4
    assert verdict["problems"] == {
        "not stored": 1,
        "not checked": 1,
        "2 receipts": 1,
        "0 receipts": 1,
    }


def test_a_refused_upload_is_not_lost_but_one_stored_anyway_is_counted():
    verdict = report.verify_flows(
        [flow(1, "aa", upload_status=500)],
        state((1, "a1@x.org", [{"sha256": "aa", "status": "passed"}])),
        Counter(),
    )
    assert verdict == {"lost": 0, "problems": {}, "unacknowledged_stored": 1}


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert report.percentile(values, 50) == 50.0
    assert report.percentile(values, 99) == 99.0
    assert report.percentile([], 99) == 0.0


def test_the_knee_is_the_first_count_near_the_best_throughput():
    results = [
        {"authors": 50, "flows_per_s": 2.0},
        {"authors": 100, "flows_per_s": 2.5},
        {"authors": 200, "flows_per_s": 2.4},
    ]
    assert "2.50 complete flows/s from 100 concurrent authors" in report.knee(results)


def test_tables_are_appended_inside_the_rush_section(tmp_path):
    doc = tmp_path / "reliability.md"
    doc.write_text("# Reliability\n\n## Rush benchmark\n\nHow.\n\n## Faults\n\nRows.\n")
    report.append_to_docs("#### Run 1\n\n| table |", doc)
    report.append_to_docs("#### Run 2\n\n| table |", doc)
    text = doc.read_text()
    assert text.index("How.") < text.index("Run 1") < text.index("Run 2") < text.index("## Faults")


def test_each_author_gets_a_different_file_of_the_same_size():
    base = b"%PDF-1.7 /Keywords (RushAuthor000000) %%EOF"
    one, two = author_pdf(base, 1), author_pdf(base, 2)
    assert len(one) == len(two) == len(base)
    assert one != two

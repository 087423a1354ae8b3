"""The chairs' submission list: search, filters, sorting, counts, paging, query counts, access."""

import pytest
from django.urls import reverse

from mlsys.conferences.models import Topic
from tests import factories


def list_url(conference, **params):
    from urllib.parse import urlencode

    url = reverse("submissions:chair_list", kwargs={"conference": conference.slug})
    return f"{url}?{urlencode(params, doseq=True)}" if params else url


def numbers(response) -> list[int]:
    return [s.number for s in response.context["submissions"]]


@pytest.fixture
def papers(conference):
    research, industry = conference.tracks.order_by("order")
    compilers = Topic.objects.get(conference=conference, name="Compilers")
    llms = Topic.objects.get(conference=conference, name="LLMs")
    a = factories.SubmissionFactory(
        conference=conference, track=research, number=1, title="Zebra compilers"
    )
    a.topics.add(compilers)
    factories.AuthorFactory(submission=a, name="Grace Hopper", email="grace@navy.example.mil")
    factories.SubmissionFileFactory(submission=a, pages=12, check_status="failed")
    a.current_paper = a.files.get()
    a.save()
    b = factories.SubmissionFactory(
        conference=conference,
        track=industry,
        number=2,
        title="Attention at scale",
        abstract="Transformers on a wafer.",
        status="draft",
    )
    b.topics.add(llms)
    factories.AuthorFactory(submission=b, name="Alan Turing", email="alan@bletchley.example.uk")
    c = factories.SubmissionFactory(
        conference=conference, track=research, number=3, title="Middle paper", status="withdrawn"
    )
    c.topics.add(llms, compilers)
    f = factories.SubmissionFileFactory(submission=c, pages=8, check_status="passed")
    c.current_paper = f
    c.save()
    return a, b, c


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [1, 2, 3]),
        ({"q": "zebra"}, [1]),
        ({"q": "wafer"}, [2]),
        ({"q": "hopper"}, [1]),
        ({"q": "bletchley"}, [2]),
        ({"q": "compilers"}, [1, 3]),
        ({"q": "withdrawn"}, [3]),
        ({"q": "#2"}, [2]),
        ({"q": "violates"}, [1]),
        ({"q": "llms middle"}, [3]),
        ({"track": "industry"}, [2]),
        ({"status": ["draft", "withdrawn"]}, [2, 3]),
        ({"check": "failed"}, [1]),
        ({"check": "none"}, [2]),
        ({"sort": "title"}, [2, 3, 1]),
        ({"sort": "-number"}, [3, 2, 1]),
        ({"sort": "pages"}, [3, 1, 2]),
        ({"sort": "-pages"}, [1, 3, 2]),
    ],
)
def test_search_filter_and_sort(client, chair, conference, papers, params, expected):
    client.force_login(chair)
    response = client.get(list_url(conference, **params))
    assert response.status_code == 200
    assert numbers(response) == expected


def test_topic_tag_and_conflict_filters(client, chair, conference, papers, ml_reviewer):
    a, b, c = papers
    tag = factories.TagFactory(conference=conference, name="check-format")
    c.tags.add(tag)
    factories.ConflictFactory(submission=b, user=ml_reviewer)
    factories.ConflictFactory(submission=a, user=ml_reviewer, state="dismissed")
    llms = Topic.objects.get(conference=conference, name="LLMs")
    client.force_login(chair)
    assert numbers(client.get(list_url(conference, topic=llms.pk))) == [2, 3]
    assert numbers(client.get(list_url(conference, tag=tag.pk))) == [3]
    assert numbers(client.get(list_url(conference, has_conflicts="true"))) == [2]
    assert numbers(client.get(list_url(conference, has_conflicts="false"))) == [1, 3]


def test_list_shows_counts_and_annotations(client, chair, conference, papers):
    client.force_login(chair)
    response = client.get(list_url(conference))
    counts = response.context["counts"]
    assert [(r["name"], r["n"]) for r in counts["tracks"]] == [("Research", 2), ("Industry", 1)]
    assert {(r["name"], r["n"]) for r in counts["topics"]} == {("Compilers", 2), ("LLMs", 2)}
    assert [(r["value"], r["n"]) for r in counts["statuses"]] == [
        ("draft", 1),
        ("submitted", 1),
        ("withdrawn", 1),
    ]
    first = response.context["submissions"][0]
    assert (first.author_count, first.paper_pages, first.paper_check_status) == (1, 12, "failed")
    assert b"Grace Hopper" in response.content


def test_invalid_filter_value_shows_a_field_error_and_the_whole_list(
    client, chair, conference, papers
):
    client.force_login(chair)
    response = client.get(list_url(conference, status="bogus"))
    assert response.status_code == 200
    assert response.context["filter"].errors["status"]
    assert numbers(response) == [1, 2, 3]


def test_list_pages_by_100(client, chair, conference):
    for n in range(1, 103):
        factories.SubmissionFactory(conference=conference, number=n)
    client.force_login(chair)
    assert len(client.get(list_url(conference)).context["submissions"]) == 100
    assert numbers(client.get(list_url(conference, page=2))) == [101, 102]


def _populate(conference, count):
    topic = Topic.objects.filter(conference=conference).first()
    tag = factories.TagFactory(conference=conference, name=f"t{count}")
    for _ in range(count):
        sub = factories.SubmissionFactory(conference=conference)
        sub.topics.add(topic)
        sub.tags.add(tag)
        factories.AuthorFactory(submission=sub)
        factories.AuthorFactory(submission=sub)
        sub.current_paper = factories.SubmissionFileFactory(submission=sub)
        sub.save()


@pytest.mark.parametrize("count", [1, 10])
def test_list_query_count_does_not_grow(
    client, chair, conference, count, django_assert_num_queries
):
    _populate(conference, count)
    client.force_login(chair)
    with django_assert_num_queries(20):
        response = client.get(list_url(conference, q="submission", sort="-updated"))
    assert len(response.context["submissions"]) == count


@pytest.mark.parametrize("who", ["ml_reviewer", "conflicted_reviewer", "author", "outsider"])
def test_list_is_404_for_everyone_but_chairs(client, conference, papers, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(list_url(conference)).status_code == 404


def test_anonymous_is_sent_to_log_in(client, conference):
    response = client.get(list_url(conference))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_chairs_filter_papers_that_name_their_authors(client, chair, conference, papers):
    a, _b, c = papers
    a.current_paper.anonymity_failed = True
    a.current_paper.save()
    client.force_login(chair)
    response = client.get(list_url(conference, check="names-authors"))
    assert response.status_code == 200
    assert numbers(response) == [1]
    assert numbers(client.get(list_url(conference, check=["names-authors", "passed"]))) == [1, 3]
    assert "Names its authors (anonymity check failed)" in response.content.decode()

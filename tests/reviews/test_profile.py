"""The reviewer profile: side and load, topic interests, expertise added and pasted."""

import re

import pytest
from django.urls import reverse

from mlsys.conferences.enums import Role, Side
from mlsys.conferences.models import CommitteeMembership
from mlsys.core.models import AuditEvent
from reviews.enums import ExpertiseSource, InterestLevel
from reviews.models import Expertise, TopicInterest
from tests import factories


def url(conference, name="reviews:profile", **kwargs):
    return reverse(name, kwargs={"conference": conference.slug, **kwargs})


def membership(user, conference):
    return CommitteeMembership.objects.get(user=user, conference=conference, role=Role.PC_MEMBER)


@pytest.fixture
def pc(client, ml_reviewer):
    client.force_login(ml_reviewer)
    return client


def test_profile_page_shows_every_section(pc, conference):
    response = pc.get(url(conference))

    assert response.status_code == 200
    html = response.content.decode()
    for heading in (
        "Side and load",
        "Topic interests",
        "Expertise: your papers",
        "Import from BibTeX",
    ):
        assert heading in html
    assert "Deep learning" in html and "Compilers" in html


@pytest.mark.parametrize("who", ["author", "outsider", "chair"])
def test_profile_is_404_for_non_reviewers(client, conference, request, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(url(conference)).status_code == 404


def test_profile_needs_login(client, conference):
    response = client.get(url(conference))

    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_external_reviewer_has_a_profile(client, conference):
    user = factories.UserFactory()
    factories.MembershipFactory(
        conference=conference, user=user, role=Role.EXTERNAL_REVIEWER, side=Side.SYSTEMS
    )
    client.force_login(user)

    assert client.get(url(conference)).status_code == 200


def test_side_and_load_are_saved_and_audited(pc, conference, ml_reviewer):
    response = pc.post(
        url(conference), {"section": "side", "side-side": "BOTH", "side-max_load": "5"}
    )

    assert response.status_code == 302
    m = membership(ml_reviewer, conference)
    assert (m.side, m.max_load) == (Side.BOTH, 5)
    event = AuditEvent.objects.get(action="reviews.profile_updated")
    assert event.actor == ml_reviewer
    assert event.changes == {"side": ["ML", "BOTH"], "max_load": [8, 5]}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "greater than or equal to 1"),
        ("1000", "less than or equal to 30"),
        ("many", "Enter a whole number"),
        ("", "This field is required"),
    ],
)
def test_bad_max_load_is_refused_and_nothing_changes(pc, conference, ml_reviewer, value, message):
    response = pc.post(
        url(conference), {"section": "side", "side-side": "SYSTEMS", "side-max_load": value}
    )

    assert response.status_code == 400
    assert message in response.context["side_form"].errors["max_load"][0]
    m = membership(ml_reviewer, conference)
    assert (m.side, m.max_load) == (Side.ML, 8)
    assert not AuditEvent.objects.filter(action="reviews.profile_updated").exists()


def test_max_load_below_the_chairs_minimum_is_refused(pc, conference, ml_reviewer):
    CommitteeMembership.objects.filter(user=ml_reviewer).update(min_load=4)

    response = pc.post(
        url(conference), {"section": "side", "side-side": "ML", "side-max_load": "3"}
    )

    assert response.status_code == 400
    assert "minimum load to 4" in response.context["side_form"].errors["max_load"][0]
    assert membership(ml_reviewer, conference).max_load == 8


def test_topic_interests_are_saved_per_topic(pc, conference, ml_reviewer):
    topics = {t.name: t for t in conference.topics.all()}
    data = {"section": "topics"}
    for topic in topics.values():
        data[f"topics-topic_{topic.pk}"] = str(InterestLevel.NONE)
    data[f"topics-topic_{topics['LLMs'].pk}"] = str(InterestLevel.EXPERT)
    data[f"topics-topic_{topics['Compilers'].pk}"] = str(InterestLevel.SOME)

    response = pc.post(url(conference), data)

    assert response.status_code == 302
    levels = dict(
        TopicInterest.objects.filter(user=ml_reviewer).values_list("topic__name", "level")
    )
    assert levels["LLMs"] == InterestLevel.EXPERT
    assert levels["Compilers"] == InterestLevel.SOME
    assert levels["Deep learning"] == InterestLevel.NONE
    assert len(levels) == 6
    assert AuditEvent.objects.filter(action="reviews.topic_interests_updated").count() == 1

    page = pc.get(url(conference)).content.decode()
    radios = re.findall(rf'<input type="radio" name="topics-topic_{topics["LLMs"].pk}"[^>]*>', page)
    assert [("checked" in tag) for tag in radios] == [False, False, False, True]


def test_topic_interest_with_unknown_level_is_refused(pc, conference, ml_reviewer):
    topic = conference.topics.first()

    response = pc.post(url(conference), {"section": "topics", f"topics-topic_{topic.pk}": "9"})

    assert response.status_code == 400
    assert f"topic_{topic.pk}" in response.context["topics_form"].errors
    assert not TopicInterest.objects.exists()


def test_add_one_paper(pc, conference, ml_reviewer):
    response = pc.post(
        url(conference),
        {
            "section": "expertise",
            "expertise-title": "  Fast   kernels ",
            "expertise-abstract": "We make kernels fast.",
            "expertise-year": "2023",
        },
    )

    assert response.status_code == 302
    paper = Expertise.objects.used_at(conference).get(user=ml_reviewer)
    assert (paper.title, paper.abstract, paper.year, paper.source) == (
        "Fast kernels",
        "We make kernels fast.",
        2023,
        ExpertiseSource.PASTED,
    )
    assert AuditEvent.objects.filter(action="reviews.expertise_added", actor=ml_reviewer).exists()


def test_paper_with_future_year_or_no_title_is_refused(pc, conference):
    response = pc.post(
        url(conference),
        {"section": "expertise", "expertise-title": " ", "expertise-year": "2999"},
    )

    assert response.status_code == 400
    errors = response.context["expertise_form"].errors
    assert set(errors) == {"title", "year"}
    assert not Expertise.objects.exists()


def test_paste_adds_several_papers(pc, conference, ml_reviewer):
    text = (
        "Learning to shard (2022)\nWe learn sharding plans.\nThey are good.\n\n"
        "Compilers for sparse tensors\r\nSparse is hard.\r\n\r\n\n"
        "Only a title, 2019\n"
    )

    response = pc.post(url(conference), {"section": "paste", "paste-text": text})

    assert response.status_code == 302
    rows = list(
        Expertise.objects.filter(user=ml_reviewer)
        .order_by("title")
        .values_list("title", "abstract", "year")
    )
    assert rows == [
        ("Compilers for sparse tensors", "Sparse is hard.", None),
        ("Learning to shard", "We learn sharding plans. They are good.", 2022),
        ("Only a title", "", 2019),
    ]


def test_empty_paste_is_refused_and_existing_papers_stay(pc, conference, ml_reviewer):
    factories.ExpertiseFactory(user=ml_reviewer, title="Kept")

    response = pc.post(url(conference), {"section": "paste", "paste-text": " \n\n "})

    assert response.status_code == 400
    assert "Paste at least one title" in response.context["paste_form"].errors["text"][0]
    assert list(Expertise.objects.values_list("title", flat=True)) == ["Kept"]


def test_edit_and_remove_own_paper(pc, conference, ml_reviewer):
    paper = factories.ExpertiseFactory(user=ml_reviewer, title="Old", abstract="", year=None)

    response = pc.post(
        url(conference, "reviews:expertise_edit", pk=paper.pk),
        {"title": "New", "abstract": "Now with abstract", "year": "2020"},
    )
    assert response.status_code == 302
    paper.refresh_from_db()
    assert (paper.title, paper.abstract, paper.year) == ("New", "Now with abstract", 2020)
    assert AuditEvent.objects.get(action="reviews.expertise_updated").changes["title"] == [
        "Old",
        "New",
    ]

    response = pc.post(url(conference, "reviews:expertise_delete", pk=paper.pk))
    assert response.status_code == 302
    assert not Expertise.objects.exists()
    assert AuditEvent.objects.filter(action="reviews.expertise_removed").count() == 1


def test_bad_edit_keeps_the_paper(pc, conference, ml_reviewer):
    paper = factories.ExpertiseFactory(user=ml_reviewer, title="Kept", year=2020)

    response = pc.post(
        url(conference, "reviews:expertise_edit", pk=paper.pk), {"title": "", "year": "-3"}
    )

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "year"}
    paper.refresh_from_db()
    assert (paper.title, paper.year) == ("Kept", 2020)


def test_someone_elses_paper_is_404(pc, conference, systems_reviewer):
    theirs = factories.ExpertiseFactory(user=systems_reviewer, title="Theirs")

    assert pc.get(url(conference, "reviews:expertise_edit", pk=theirs.pk)).status_code == 404
    assert pc.post(url(conference, "reviews:expertise_delete", pk=theirs.pk)).status_code == 404
    assert Expertise.objects.filter(pk=theirs.pk, title="Theirs").exists()


def test_profile_lists_only_own_declared_conflicts(pc, conference, ml_reviewer):
    mine = factories.SubmissionFactory(conference=conference, title="Declared by me")
    other = factories.SubmissionFactory(conference=conference, title="Detected elsewhere")
    factories.ConflictFactory(
        submission=mine, user=ml_reviewer, source="reviewer_declared", state="confirmed"
    )
    factories.ConflictFactory(submission=other, user=ml_reviewer, source="email_domain")

    html = pc.get(url(conference)).content.decode()

    assert "Declared by me" in html
    assert "Detected elsewhere" not in html

"""The home page groups a person's work by conference: one block per conference they take part
in (any committee role, any invitation state, or as an author), naming their roles there and
holding what waits for them there; other visible conferences are listed after. The page costs
the same number of queries for 1 and for 10 conferences."""

import pytest
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences.enums import Role, Side
from tests import factories
from tests.reviews.response_fixtures import assign, make_paper, review


def blocks(response):
    return {b.conference.slug: b for b in response.context["conference_blocks"]}


def test_author_sees_every_paper_under_its_conference(client, conference, author):
    other = factories.conference_in_submission_phase(slug="mlsys2028", name="MLSys 2028")
    make_paper(conference, author, number=1, title="Old compiler paper")
    make_paper(other, author, number=1, title="New scheduler paper")
    make_paper(other, author, number=2, title="Second scheduler paper")
    client.force_login(author)
    response = client.get(reverse("home"))
    found = blocks(response)
    assert set(found) == {"mlsys2027", "mlsys2028"}
    titles = {
        slug: [t.submission.title for s in b.sections for t in s.context.get("paper_tasks", [])]
        for slug, b in found.items()
    }
    assert titles == {
        "mlsys2027": ["Old compiler paper"],
        "mlsys2028": ["New scheduler paper", "Second scheduler paper"],
    }
    assert found["mlsys2028"].other_roles == ["Author"]
    html = response.content.decode()
    block_2028 = html[html.index('data-conference="mlsys2028"') :]
    block_2028 = block_2028[: block_2028.index("</article>")]
    assert "New scheduler paper" in block_2028 and "Old compiler paper" not in block_2028


def test_more_than_the_list_limit_of_papers_are_all_shown(client, conference, author):
    for n in range(1, 14):
        make_paper(conference, author, number=n, title=f"Paper {n}")
    client.force_login(author)
    html = client.get(reverse("home")).content.decode()
    assert "Your papers (13)" in html and "Paper 13" in html


def test_roles_and_tasks_are_shown_per_conference(client, conference, chair, author):
    """Chair at 2027, PC member (ML) with a review to write at 2028, invited at 2029."""
    c2028 = factories.conference_in_submission_phase(slug="mlsys2028", name="MLSys 2028")
    c2029 = factories.conference_in_submission_phase(slug="mlsys2029", name="MLSys 2029")
    factories.MembershipFactory(conference=c2028, user=chair, role=Role.PC_MEMBER, side=Side.ML)
    factories.MembershipFactory(
        conference=c2029, user=chair, role=Role.PC_MEMBER, side=Side.ML, status="invited"
    )
    assign(make_paper(c2028, author, number=4, title="To review"), chair)
    client.force_login(chair)
    response = client.get(reverse("home"))
    found = blocks(response)
    assert [m.role for m in found["mlsys2027"].memberships] == [Role.PROGRAM_CHAIR]
    assert found["mlsys2027"].is_chair and not found["mlsys2028"].is_chair
    [section] = found["mlsys2028"].sections
    assert [a.submission.title for a in section.context["to_finish"].rows] == ["To review"]
    assert [s.template for s in found["mlsys2027"].sections] == ["reviews/home_chair.html"]
    assert [m.status for m in found["mlsys2029"].pending] == ["invited"]
    html = response.content.decode()
    assert "PC member · ML (invited)" in html and "Invitation waiting" in html


def test_other_conferences_are_listed_apart(client, conference, author):
    factories.conference_in_submission_phase(slug="mlsys2028", name="MLSys 2028")
    make_paper(conference, author, number=1)
    client.force_login(author)
    response = client.get(reverse("home"))
    assert list(blocks(response)) == ["mlsys2027"]
    assert [b.conference.slug for b in response.context["other_conferences"]] == ["mlsys2028"]
    assert "Other conferences" in response.content.decode()


def test_an_outsider_and_an_anonymous_visitor_see_only_public_conferences(client, outsider):
    factories.conference_in_submission_phase(slug="public", name="Public conf")
    factories.conference_in_submission_phase(slug="hidden", name="Hidden conf", is_public=False)
    for user in (outsider, None):
        if user:
            client.force_login(user)
        else:
            client.logout()
        response = client.get(reverse("home"))
        assert response.context["conference_blocks"] == []
        assert [b.conference.slug for b in response.context["other_conferences"]] == ["public"]
        assert "Hidden conf" not in response.content.decode()


# Session, user; chair desks (1); reviewing (4); shepherding (1); papers (6); blocks (4).
# +1: the chairs' Deciding section (decisions.home) finds no chaired conference; +1: AE.
HOME_QUERIES = 20


@pytest.mark.parametrize("count", [1, 10])
def test_home_queries_are_constant_in_conferences_and_papers(
    client, author, django_assert_num_queries, count
):
    """``author`` writes a paper at each conference and reviews one there, and has a review
    to read: each conference has a block with papers and reviewing."""
    other_author = factories.UserFactory()
    for i in range(count):
        c = factories.conference_in_submission_phase(slug=f"conf{i}", name=f"Conf {i}")
        factories.MembershipFactory(conference=c, user=author, role=Role.PC_MEMBER, side="ml")
        make_paper(c, author, number=1, title=f"Mine {i}")
        make_paper(c, author, number=2, title=f"Mine too {i}")
        assign(make_paper(c, other_author, number=3, title=f"Theirs {i}"), author)
        review(make_paper(c, other_author, number=4), factories.UserFactory())
    client.force_login(author)
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(reverse("home"))
    found = response.context["conference_blocks"]
    assert len(found) == count
    for block in found:
        assert [s.template for s in block.sections] == [
            "reviews/home_reviewing.html",
            "submissions/home_papers.html",
        ]
        assert len(block.sections[1].context["paper_tasks"]) == 2
        assert len(block.sections[0].context["to_finish"].rows) == 1


def test_nothing_waits_at_an_archived_conference(client, conference, ml_reviewer, author):
    """Its block stays (read-only badge, the author's papers), but no review to write."""
    assign(make_paper(conference, author, number=1, title="Old paper"), ml_reviewer)
    type(conference).objects.filter(pk=conference.pk).update(archived_at=timezone.now())
    client.force_login(ml_reviewer)
    response = client.get(reverse("home"))
    [block] = response.context["conference_blocks"]
    assert block.sections == []
    assert "Archived: read-only" in response.content.decode()
    client.force_login(author)
    [block] = client.get(reverse("home")).context["conference_blocks"]
    assert [t.submission.title for t in block.sections[0].context["paper_tasks"]] == ["Old paper"]

"""The PC page: status counts, side balance, topic coverage, filters, permissions, queries."""

import pytest

from mlsys.conferences.enums import Area, InvitationStatus, Role, Side
from tests import factories


def _member(conference, side, status=InvitationStatus.ACCEPTED, max_load=8, role=Role.PC_MEMBER):
    return factories.MembershipFactory(
        conference=conference, role=role, side=side, status=status, max_load=max_load
    )


def _interest(conference, membership, topic_name, level):
    factories.TopicInterestFactory(
        conference=conference,
        user=membership.user,
        topic=conference.topics.get(name=topic_name),
        level=level,
    )


def test_status_counts_and_filters(chair_client, conference, url, ml_reviewer):
    _member(conference, Side.SYSTEMS, InvitationStatus.INVITED)
    _member(conference, Side.ML, InvitationStatus.DECLINED)
    factories.MembershipFactory(conference=conference, role=Role.AE_EVALUATOR, side="")
    response = chair_client.get(url("committee"))
    assert response.context["status_counts"] == {"invited": 1, "accepted": 3, "declined": 1}
    assert response.context["member_count"] == 5

    filtered = chair_client.get(url("committee") + "?status=accepted&side=ML&role=pc_member")
    assert [m.user for m in filtered.context["members"]] == [ml_reviewer]
    assert "1 of 5" in filtered.content.decode()
    ignored = chair_client.get(url("committee") + "?side=sideways")
    assert len(ignored.context["members"]) == 5


def test_side_balance_warns_when_one_side_is_much_larger(chair_client, conference, url):
    for _ in range(4):
        _member(conference, Side.ML)
    _member(conference, Side.SYSTEMS, max_load=20)
    _member(conference, Side.SYSTEMS, status=InvitationStatus.INVITED)
    response = chair_client.get(url("committee"))
    balance = {
        row["side"]: (row["members"], row["capacity"]) for row in response.context["balance"]
    }
    assert balance == {"ML": (4, 32), "SYSTEMS": (1, 20), "BOTH": (0, 0)}
    assert response.context["balance_warning"] == (
        "The committee is unbalanced: the ML side has 4 members, the Systems side 1. "
        "Every paper needs reviewers from both sides."
    )
    assert "The committee is unbalanced" in response.content.decode()


def test_balanced_committee_has_no_warning(chair_client, conference, url):
    for side in (Side.ML, Side.ML, Side.SYSTEMS, Side.SYSTEMS, Side.BOTH):
        _member(conference, side)
    response = chair_client.get(url("committee"))
    assert response.context["balance_warning"] == ""
    assert "unbalanced" not in response.content.decode()


def test_topic_coverage_counts_accepted_members_per_side(chair_client, conference, url):
    ml = _member(conference, Side.ML)
    systems = _member(conference, Side.SYSTEMS)
    both = _member(conference, Side.BOTH)
    pending = _member(conference, Side.SYSTEMS, status=InvitationStatus.INVITED)
    _interest(conference, ml, "Deep learning", 3)
    _interest(conference, both, "Deep learning", 1)
    _interest(conference, systems, "Compilers", 2)
    _interest(conference, systems, "LLMs", 0)  # "none" does not count
    _interest(conference, pending, "Optimization", 3)  # not accepted yet
    response = chair_client.get(url("committee"))
    coverage = {row.topic.name: (row.by_side, row.total) for row in response.context["coverage"]}
    assert coverage["Deep learning"] == ({"ML": 1, "SYSTEMS": 0, "BOTH": 1}, 2)
    assert coverage["Compilers"] == ({"ML": 0, "SYSTEMS": 1, "BOTH": 0}, 1)
    uncovered = sorted(name for name, (_, total) in coverage.items() if total == 0)
    assert uncovered == ["Distributed training", "Hardware accelerators", "LLMs", "Optimization"]
    assert response.content.decode().count("no coverage") == 4
    assert {row.topic.area for row in response.context["coverage"]} == {Area.ML, Area.SYSTEMS}


@pytest.mark.parametrize("extra", [0, 4])
def test_pc_page_queries_do_not_grow(
    chair_client, conference, url, django_assert_num_queries, extra
):
    for i in range(1 + extra):
        side = [Side.ML, Side.SYSTEMS, Side.BOTH][i % 3]
        member = _member(conference, side, status=[*InvitationStatus.values][i % 3])
        _interest(conference, member, "Compilers", 2)
        _interest(conference, member, "LLMs", 1)
    with django_assert_num_queries(8):
        response = chair_client.get(url("committee"))
    assert response.status_code == 200
    assert response.context["member_count"] == 2 + extra


CHAIR_PAGES = [
    ("get", "committee", {}),
    ("get", "committee_invite", {}),
    ("post", "committee_invite", {}),
    ("get", "committee_import", {}),
    ("post", "committee_import", {}),
    ("post", "committee_remind", {}),
    ("post", "member_resend", {"pk": 0}),
    ("get", "committee_returning", {}),
    ("get", "committee_returning_invite", {"source": "elsewhere"}),
    ("post", "committee_returning_invite", {"source": "elsewhere"}),
]


@pytest.mark.parametrize(("method", "name", "kwargs"), CHAIR_PAGES)
@pytest.mark.parametrize("who", ["ml_reviewer", "author", "outsider"])
def test_non_chairs_get_404_on_chair_pages(
    client, conference, url, request, who, method, name, kwargs
):
    pending = _member(conference, Side.ML, InvitationStatus.INVITED)
    kwargs = {"pk": pending.pk} if "pk" in kwargs else kwargs
    client.force_login(request.getfixturevalue(who))
    before = conference.memberships.count()
    response = getattr(client, method)(url(name, **kwargs), {"name": "X", "email": "x@x.example"})
    assert response.status_code == 404
    assert conference.memberships.count() == before
    pending.refresh_from_db()
    assert pending.reminded_at is None


@pytest.mark.parametrize(("method", "name", "kwargs"), CHAIR_PAGES)
def test_anonymous_is_sent_to_log_in_on_chair_pages(client, conference, url, method, name, kwargs):
    pending = _member(conference, Side.ML, InvitationStatus.INVITED)
    kwargs = {"pk": pending.pk} if "pk" in kwargs else kwargs
    response = getattr(client, method)(url(name, **kwargs))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")

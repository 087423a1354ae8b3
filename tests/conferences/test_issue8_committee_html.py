"""Issue 8: on the committee page the filter form and the "add a member" form no longer share
ids, so each select has its own label; every id on the page is unique."""

from mlsys.conferences.enums import InvitationStatus, Role, Side
from tests import factories
from tests.html_checks import accessibility_problems, duplicate_ids, parse


def _labels_for(html: str, control_id: str) -> int:
    return sum(
        1
        for element in parse(html).elements
        if element.tag == "label" and element.attrs.get("for") == control_id
    )


def test_committee_page_ids_are_unique_and_both_forms_are_labelled(client, chair, conference, url):
    factories.MembershipFactory(
        conference=conference,
        role=Role.PC_MEMBER,
        side=Side.SYSTEMS,
        status=InvitationStatus.INVITED,
    )
    client.force_login(chair)
    html = client.get(url("committee") + "?role=pc_member").content.decode()
    assert duplicate_ids(html) == []
    assert accessibility_problems(html) == {}
    selects = {(e.attrs["name"], e.attrs["id"]) for e in parse(html).elements if e.tag == "select"}
    # Same names (the filter's GET parameters are unchanged), different ids.
    for name in ("role", "status", "side"):
        ids = sorted(i for n, i in selects if n == name)
        assert len(ids) == 2 and len(set(ids)) == 2, (name, ids)
        assert [_labels_for(html, control_id) for control_id in ids] == [1, 1], name


def test_committee_filter_still_reads_its_get_parameters(client, chair, conference, url):
    factories.MembershipFactory(
        conference=conference, role=Role.PC_MEMBER, status=InvitationStatus.DECLINED
    )
    client.force_login(chair)
    response = client.get(url("committee") + "?status=declined")
    assert [m.status for m in response.context["members"]] == [InvitationStatus.DECLINED]
    html = response.content.decode()
    assert '<option value="declined" selected>' in html

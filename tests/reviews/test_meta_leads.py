"""Discussion leads: assigning by hand and in bulk, and the chairs' leads page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from mlsys.conferences.enums import Role, Side
from mlsys.core.models import AuditEvent
from reviews.meta import services
from reviews.models import MetaReview
from tests import factories
from tests.reviews.response_fixtures import assign, make_paper

QUERY_BUDGET = 15  # measured: 15 at 1 and at 10 papers


def member(conference, name, role=Role.PC_MEMBER, side=Side.ML):
    user = factories.UserFactory(name=name)
    factories.MembershipFactory(conference=conference, user=user, role=role, side=side)
    return user


@pytest.fixture
def paper(conference, author):
    return make_paper(conference, author)


def test_auto_assign_picks_the_reviewer_with_the_least_lead_load(
    conference,
    author,
    chair,
    ml_reviewer,
    systems_reviewer,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    busy = member(conference, "Busy Bee")
    already = make_paper(conference, author, number=90)
    factories.MetaReviewFactory(submission=already, lead=busy)
    p1 = make_paper(conference, author, number=1)
    p2 = make_paper(conference, author, number=2)
    for p in (p1, p2):
        assign(p, busy)
        assign(p, ml_reviewer)
        assign(p, systems_reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        result = services.auto_assign_leads(conference, actor=chair)

    # p1: ml and systems both lead 0 -> lower id (ml_reviewer); p2: systems_reviewer has 0.
    assert result.assigned == {1: ml_reviewer.pk, 2: systems_reviewer.pk}
    assert MetaReview.objects.get(submission=p1).lead == ml_reviewer
    assert MetaReview.objects.get(submission=p2).lead == systems_reviewer
    assert MetaReview.objects.get(submission=already).lead == busy
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [ml_reviewer.email, systems_reviewer.email]
    )
    assert "#1 " in next(m.body for m in mailoutbox if m.to == [ml_reviewer.email])
    assert AuditEvent.objects.filter(action="reviews.leads_auto_assigned").count() == 1


def test_auto_assign_prefers_area_chairs_on_equal_load(conference, paper, chair, ml_reviewer):
    area_chair = member(conference, "Ari Chair", role=Role.AREA_CHAIR, side=Side.SYSTEMS)
    assign(paper, ml_reviewer)
    assign(paper, area_chair)

    services.auto_assign_leads(conference, actor=chair)

    assert MetaReview.objects.get(submission=paper).lead == area_chair


def test_auto_assign_skips_conflicted_external_and_declined_reviewers(
    conference, paper, chair, conflicted_reviewer
):
    factories.ConflictFactory(submission=paper, user=conflicted_reviewer, state="confirmed")
    assign(paper, conflicted_reviewer)
    external = member(conference, "Ext Ernal", role=Role.EXTERNAL_REVIEWER)
    assign(paper, external)
    declined = member(conference, "Dee Clined")
    assign(paper, declined, declined_at=paper.created_at)

    result = services.auto_assign_leads(conference, actor=chair)

    assert result.without_candidates == [paper.number]
    assert not MetaReview.objects.exists()


def test_only_chairs_auto_assign(conference, paper, ml_reviewer):
    with pytest.raises(PermissionDenied):
        services.auto_assign_leads(conference, actor=ml_reviewer)


def test_a_conflicted_lead_cannot_be_assigned(conference, paper, chair, conflicted_reviewer):
    factories.ConflictFactory(submission=paper, user=conflicted_reviewer, state="pinned")

    with pytest.raises(ValidationError):
        services.assign_lead(paper, lead=conflicted_reviewer, actor=chair)

    assert not MetaReview.objects.exists()


def test_an_author_cannot_lead_their_own_paper(conference, paper, chair, author):
    factories.MembershipFactory(conference=conference, user=author, role=Role.PC_MEMBER)

    with pytest.raises(ValidationError):
        services.assign_lead(paper, lead=author, actor=chair)


def test_candidates_list_the_papers_reviewers_first(
    conference, paper, ml_reviewer, systems_reviewer, conflicted_reviewer
):
    factories.ConflictFactory(submission=paper, user=conflicted_reviewer, state="confirmed")
    assign(paper, systems_reviewer)

    candidates = services.lead_candidates(paper)

    assert [c.user for c in candidates][:1] == [systems_reviewer]
    assert ml_reviewer in [c.user for c in candidates]
    assert conflicted_reviewer not in [c.user for c in candidates]


def test_chair_assigns_and_changes_the_lead_on_the_page(
    client,
    conference,
    paper,
    chair,
    ml_reviewer,
    systems_reviewer,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(chair)
    page = reverse(
        "reviews:lead_assign", kwargs={"conference": conference.slug, "number": paper.number}
    )
    assert client.get(page).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        client.post(page, {"lead": ml_reviewer.pk})
        response = client.post(page, {"lead": systems_reviewer.pk})

    assert response.status_code == 302
    assert MetaReview.objects.get(submission=paper).lead == systems_reviewer
    assert [m.to for m in mailoutbox] == [[ml_reviewer.email], [systems_reviewer.email]]
    assert AuditEvent.objects.filter(action="reviews.lead_assigned").count() == 2


def test_lead_page_refuses_an_ineligible_choice(client, conference, paper, chair, outsider):
    client.force_login(chair)
    page = reverse(
        "reviews:lead_assign", kwargs={"conference": conference.slug, "number": paper.number}
    )

    response = client.post(page, {"lead": outsider.pk})

    assert response.status_code == 400
    assert not MetaReview.objects.exists()


def test_a_conflicted_chair_gets_404_for_the_papers_lead_page(client, conference, paper, chair):
    factories.ConflictFactory(submission=paper, user=chair, state="confirmed")
    client.force_login(chair)

    response = client.get(
        reverse(
            "reviews:lead_assign", kwargs={"conference": conference.slug, "number": paper.number}
        )
    )

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["ml_reviewer", "author", "outsider"])
@pytest.mark.parametrize("name,method", [("leads", "get"), ("leads_auto", "post")])
def test_leads_pages_are_404_for_non_chairs(client, conference, paper, who, name, method, request):
    client.force_login(request.getfixturevalue(who))

    response = getattr(client, method)(
        reverse(f"reviews:{name}", kwargs={"conference": conference.slug})
    )

    assert response.status_code == 404
    assert not MetaReview.objects.exists()


def test_leads_page_anonymous_is_sent_to_log_in(client, conference):
    response = client.get(reverse("reviews:leads", kwargs={"conference": conference.slug}))

    assert response.status_code == 302


def test_auto_assign_button(client, conference, paper, chair, ml_reviewer):
    assign(paper, ml_reviewer)
    client.force_login(chair)

    response = client.post(reverse("reviews:leads_auto", kwargs={"conference": conference.slug}))

    assert response.status_code == 302
    assert MetaReview.objects.get(submission=paper).lead == ml_reviewer


def test_leads_page_lists_reviewers_and_leads_but_not_conflicted_papers(
    client, conference, author, chair, ml_reviewer, systems_reviewer
):
    visible = make_paper(conference, author, number=1, title="Visible paper")
    hidden = make_paper(conference, author, number=2, title="Hidden paper")
    factories.ConflictFactory(submission=hidden, user=chair, state="confirmed")
    assign(visible, ml_reviewer)
    assign(hidden, systems_reviewer)
    factories.MetaReviewFactory(submission=visible, lead=ml_reviewer)
    client.force_login(chair)

    html = client.get(
        reverse("reviews:leads", kwargs={"conference": conference.slug})
    ).content.decode()

    assert "Visible paper" in html and ml_reviewer.name in html
    assert "Hidden paper" not in html and systems_reviewer.name not in html


@pytest.mark.parametrize("count", [1, 10])
def test_leads_page_query_count_is_constant(
    client,
    conference,
    author,
    chair,
    ml_reviewer,
    systems_reviewer,
    count,
    django_assert_num_queries,
):
    for number in range(1, count + 1):
        p = make_paper(conference, author, number=number)
        assign(p, ml_reviewer)
        assign(p, systems_reviewer)
        factories.MetaReviewFactory(submission=p, lead=ml_reviewer)
    client.force_login(chair)

    with django_assert_num_queries(QUERY_BUDGET):
        response = client.get(reverse("reviews:leads", kwargs={"conference": conference.slug}))

    assert response.status_code == 200
    assert response.content.decode().count("Change lead") == count


def test_meta_review_status_reads_the_same_for_the_chair_and_the_lead(
    client, conference, paper, chair, ml_reviewer
):
    assign(paper, ml_reviewer)
    services.auto_assign_leads(conference, actor=chair)
    leads = reverse("reviews:leads", kwargs={"conference": conference.slug})
    leading = reverse("reviews:leading", kwargs={"conference": conference.slug})

    def status_on(user, url):
        client.force_login(user)
        html = client.get(url).content.decode()
        client.logout()
        return [label for label in ("Not started", "Draft", "Submitted") if label in html]

    assert status_on(chair, leads) == ["Not started"]
    assert status_on(ml_reviewer, leading) == ["Not started"]

    MetaReview.objects.filter(submission=paper).update(summary="Leaning accept.")
    assert status_on(chair, leads) == ["Draft"]
    assert status_on(ml_reviewer, leading) == ["Draft"]


def test_leads_page_shows_side_labels(client, conference, paper, chair, systems_reviewer):
    assign(paper, systems_reviewer)
    client.force_login(chair)

    html = client.get(
        reverse("reviews:leads", kwargs={"conference": conference.slug})
    ).content.decode()

    assert '<span class="badge">Systems</span>' in html
    assert "SYSTEMS" not in html


def test_lead_messages_and_email_use_proper_plurals(
    client, conference, paper, chair, ml_reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    assign(paper, ml_reviewer)
    client.force_login(chair)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reviews:leads_auto", kwargs={"conference": conference.slug}), follow=True
        )
    assert "Assigned a lead to 1 paper." in response.content.decode()
    [email] = mailoutbox
    assert email.subject.endswith("You lead the discussion of 1 paper")

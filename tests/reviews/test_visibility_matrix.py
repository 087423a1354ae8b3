"""Who may see what, across every reviewing page and API endpoint (issue 5).

One world: a double-blind Research paper (#1) by ``author`` with two submitted reviews (Mia,
Rita) and one draft (Sam), one comment per audience, a submitted author response and a
submitted meta-review (lead: Mia). ``conflicted_reviewer`` and ``conflicted_chair`` have
confirmed conflicts with it (the conflicted PC member is even still assigned to it); an
external reviewer reviews another paper (#2). Reviewers do not see each other's names here.
A committed assignment proposal (issue 8) added Rita to #1 and proposes removing Sam; the
chairs' assignment pages name #1's reviewers to the chair only, never to the conflicted chair.

Every answer and comment carries a unique marker. For each viewer the matrix fetches every
surface and checks (1) the status (allowed, or 404; anonymous: login redirect / 401) and (2)
that no marker, name, email or title outside what the viewer may see appears in the body,
while allowed surfaces do show what they should (so the matrix cannot pass by showing nothing).
"""

from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils import timezone

from mlsys.conferences import enums
from mlsys.mail.models import OutboundEmail
from reviews.enums import CommentVisibility as V
from reviews.enums import PairChange, ProposalStatus
from reviews.models import (
    AssignmentProposal,
    AuthorResponse,
    Comment,
    ProposedPair,
    Review,
)
from reviews.review_forms import form_for
from tests import factories
from tests.reviews.paper_fixtures import assign, member, open_response_phase
from tests.reviews.visibility_surfaces import (
    ALL_MARKERS,
    ALLOWED,
    ANONYMOUS_404,
    AUTHOR_NAME,
    COMMENTS,
    IDENTITIES,
    MAY_SEE,
    META,
    MUST_SHOW,
    POOL_LISTS,
    RESPONSE,
    SURFACES,
    TITLE,
    review_answers,
)

pytestmark = pytest.mark.django_db


@dataclass
class World:
    conference: object
    paper: object
    other_paper: object
    users: dict
    rita_review: Review
    reviewers_comment: Comment
    proposal: AssignmentProposal
    pair: ProposedPair
    names: dict = field(default_factory=dict)  # marker -> the identity string


@pytest.fixture
def world(
    conference,
    chair,
    ml_reviewer,
    systems_reviewer,
    conflicted_reviewer,
    author,
    outsider,
):
    conference.reviewer_names_visible = False
    conference.save(update_fields=["reviewer_names_visible"])
    rita = member(conference, enums.Role.PC_MEMBER, enums.Side.SYSTEMS, name="Rita Thirdrev")
    bystander = member(conference, name="Nina Bystander")
    conflicted_chair = member(conference, enums.Role.PROGRAM_CHAIR, name="Carl Conflicted")
    chair_author = member(conference, enums.Role.PROGRAM_CHAIR, name="Cora Chairauthor")
    external = member(conference, enums.Role.EXTERNAL_REVIEWER, name="Ext Expert")
    paper = factories.SubmissionFactory(conference=conference, title=TITLE, authors=[author])
    other = factories.SubmissionFactory(conference=conference, title="Other paper")
    for user in (conflicted_reviewer, conflicted_chair):
        factories.ConflictFactory(submission=paper, user=user, state="confirmed")
    # Issue 10: a chair who co-authors the paper, with no Conflict row.
    factories.AuthorFactory(
        submission=paper, user=chair_author, name=chair_author.name, email=chair_author.email
    )
    form = form_for(paper)
    reviews = {}
    proposal = factories.AssignmentProposalFactory(
        conference=conference, created_by=chair, status=ProposalStatus.READY, params={}
    )
    for user, prefix, state in (
        (ml_reviewer, "ML", "submitted"),
        (systems_reviewer, "SYS", "draft"),
        (rita, "R3", "submitted"),
    ):
        reviews[prefix] = factories.ReviewFactory(
            assignment=assign(paper, user),
            submission=paper,
            reviewer=user,
            form=form,
            answers=review_answers(prefix),
            state=state,
            submitted_at=timezone.now() if state == "submitted" else None,
        )
    # The conflict was found after assignment: the assignment must not open anything.
    assign(paper, conflicted_reviewer)
    assign(other, external)
    # Issue 8: a proposal (committed with Rita's assignment) naming #1's reviewers.
    pair = factories.ProposedPairFactory(
        proposal=proposal, submission=paper, user=rita, change=PairChange.KEPT
    )
    factories.ProposedPairFactory(
        proposal=proposal, submission=paper, user=systems_reviewer, change=PairChange.REMOVED
    )
    rita_assignment = reviews["R3"].assignment
    rita_assignment.proposal = proposal
    rita_assignment.save(update_fields=["proposal"])
    proposal.status = ProposalStatus.COMMITTED
    proposal.committed_at = timezone.now()
    proposal.report = {"commit": {"added": [rita_assignment.pk], "removed": [], "retired": []}}
    proposal.save()
    comments = {
        level: factories.CommentFactory(
            submission=paper, author=chair, body=f"{text} from the chair", visibility=level
        )
        for level, text in COMMENTS.items()
    }
    factories.AuthorResponseFactory(
        submission=paper, text=f"{RESPONSE} we disagree", state="submitted", version=2
    )
    factories.MetaReviewFactory(
        submission=paper, lead=ml_reviewer, summary=f"{META} borderline", state="submitted"
    )
    users = {
        "chair": chair,
        "conflicted_chair": conflicted_chair,
        "chair_author": chair_author,
        "reviewer_submitted": ml_reviewer,
        "reviewer_not_submitted": systems_reviewer,
        "bystander_pc": bystander,
        "conflicted_pc": conflicted_reviewer,
        "external_other_paper": external,
        "author_in_response": author,
        "author_before_response": author,
        "outsider": outsider,
        "anonymous": None,
    }
    return World(
        conference=conference,
        paper=paper,
        other_paper=other,
        users=users,
        rita_review=reviews["R3"],
        reviewers_comment=comments[V.REVIEWERS],
        proposal=proposal,
        pair=pair,
        names={
            "mia": ml_reviewer.name,
            "mia_email": ml_reviewer.email,
            "sam": systems_reviewer.name,
            "sam_email": systems_reviewer.email,
            "rita": rita.name,
            "rita_email": rita.email,
            "author": AUTHOR_NAME,
            "author_email": author.email,
        },
    )


# --- Surfaces ------------------------------------------------------------------------------------


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _forbidden(w: World, viewer: str) -> dict[str, str]:
    """{what: text} the viewer must never be shown."""
    may_markers, may_names, may_title = MAY_SEE[viewer]
    found = {m: m for m in ALL_MARKERS - may_markers}
    found.update({key: text for key, text in w.names.items() if key not in may_names})
    if not may_title:
        found["title"] = TITLE
    return found


@pytest.mark.parametrize("viewer", list(MAY_SEE))
def test_visibility_matrix(client, world, viewer):
    """Every surface for one viewer; all mismatches reported together."""
    w = world
    user = w.users[viewer]
    if viewer == "author_in_response":
        open_response_phase(w.conference)
    if user is not None:
        client.force_login(user)
    forbidden = _forbidden(w, viewer)
    problems = []
    for name, (kind, url_of) in SURFACES.items():
        response = client.get(url_of(w))
        allowed = viewer in ALLOWED[name]
        if allowed:
            expected = 200
        elif user is None and name in ANONYMOUS_404:
            expected = 404
        elif user is None:
            expected = 302 if kind == "page" else 401
        else:
            expected = 404
        if response.status_code != expected:
            problems.append(f"{name}: status {response.status_code}, expected {expected}")
            continue
        if expected == 302 and "/login/" not in response["Location"]:
            problems.append(f"{name}: redirects to {response['Location']}, not to log in")
        body = _body(response)
        shown = forbidden
        if name in POOL_LISTS:
            shown = {k: v for k, v in forbidden.items() if k not in IDENTITIES}
        leaked = sorted(what for what, text in shown.items() if text in body)
        if leaked:
            problems.append(f"{name}: shows {leaked}")
        missing = sorted(m for m in MUST_SHOW.get((name, viewer), ()) if m not in body)
        if missing:
            problems.append(f"{name}: does not show {missing}")
    assert problems == [], "\n".join(problems)


def test_matrix_covers_every_surface_and_viewer():
    assert set(ALLOWED) == set(SURFACES)
    assert len(SURFACES) * len(MAY_SEE) == 324


def test_conflicted_member_counts_exclude_the_paper(client, world):
    """Still assigned but conflicted: My reviews lists and counts nothing of the paper."""
    client.force_login(world.users["conflicted_pc"])
    response = client.get(reverse("reviews:my_papers", kwargs={"conference": "mlsys2027"}))
    assert response.context["rows"] == []
    assert response.context["submitted_count"] == 0


def test_conflicted_chair_progress_leaves_the_paper_out(client, world):
    client.force_login(world.users["conflicted_chair"])
    response = client.get(reverse("reviews:progress", kwargs={"conference": "mlsys2027"}))
    body = _body(response)
    assert TITLE not in body
    assert world.names["rita"] not in body


# --- Notifications -------------------------------------------------------------------------------


def _mail_to(address: str) -> list[OutboundEmail]:
    return [m for m in OutboundEmail.objects.all() if address.lower() in m.to]


def test_conflicted_member_gets_no_mention_or_follow_email(client, world):
    w = world
    conflicted, bystander = w.users["conflicted_pc"], w.users["bystander_pc"]
    # A follow row left from before the conflict was known, and a direct @mention.
    factories.PaperFollowFactory(submission=w.paper, user=conflicted)
    factories.PaperFollowFactory(submission=w.paper, user=bystander)
    client.force_login(w.users["chair"])
    response = client.post(
        f"/api/v1/conferences/{w.conference.slug}/submissions/{w.paper.number}/comments/",
        {"body": f"Thoughts, @{conflicted.email}? MK-NOTIFY", "visibility": V.PC},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert _mail_to(conflicted.email) == []
    told = _mail_to(bystander.email)
    assert [m.template_key for m in told] == ["reviews.comment_posted"]
    assert "MK-NOTIFY" in told[0].body
    comment = Comment.objects.get(body__contains="MK-NOTIFY")
    assert list(comment.mentions.all()) == []


def test_conflicted_member_gets_no_response_email(client, world):
    w = world
    AuthorResponse.objects.filter(submission=w.paper).delete()
    open_response_phase(w.conference)
    client.force_login(w.users["author_in_response"])
    base = f"/api/v1/conferences/{w.conference.slug}/submissions/{w.paper.number}/response/"
    response = client.post(
        base + "submit/", {"text": "We thank the reviewers.", "version": 0}, "application/json"
    )
    assert response.status_code == 200, response.content
    notified = sorted(
        address
        for m in OutboundEmail.objects.filter(template_key="reviews.response_submitted")
        for address in m.to
    )
    expected = [w.names["mia_email"], w.names["rita_email"], w.names["sam_email"]]
    assert notified == sorted(e.lower() for e in expected)
    assert _mail_to(w.users["conflicted_pc"].email) == []
    assert _mail_to(w.users["conflicted_chair"].email) == []


def _paper_row(body: str, start: str) -> str:
    """The table row of the page that begins with ``start`` (up to its ``</tr>``)."""
    at = body.index(start)
    return body[at : body.index("</tr>", at)]


def test_conflicted_chair_sees_no_reviewer_of_the_paper(client, world):
    """The pool pages exempt from the identity check: #1's row names no reviewer and no score
    for the conflicted chair, and does for the other chair."""

    for user in (world.users["reviewer_submitted"], world.users["reviewer_not_submitted"]):
        factories.AffinityFactory(
            conference=world.conference, submission=world.paper, user=user, score=0.9
        )
    slug = world.conference.slug
    pages = {
        reverse("reviews:assignment", kwargs={"conference": slug}): (
            f'<th scope="row">{world.paper.number}</th>'
        ),
        reverse("reviews:affinities", kwargs={"conference": slug}): (
            f'<th scope="row">#{world.paper.number} '
        ),
    }
    reviewers = [world.names[k] for k in ("mia", "sam", "rita")]
    for viewer, expect_names in (("chair", True), ("conflicted_chair", False)):
        client.force_login(world.users[viewer])
        for url, start in pages.items():
            row = _paper_row(_body(client.get(url)), start)
            named = [n for n in reviewers if n in row]
            if expect_names:
                assert named, (viewer, url, row)
            else:
                assert named == [], (viewer, url, row)
                assert "You are conflicted with this paper" in row


@pytest.mark.parametrize(
    "action",
    ["remove", "restore", "proposal_remove"],
)
def test_conflicted_chair_actions_on_the_paper_are_refused(client, world, action):
    from reviews.models import Assignment

    client.force_login(world.users["conflicted_chair"])
    w = world
    rita_assignment = w.rita_review.assignment
    w.proposal.status = ProposalStatus.READY
    w.proposal.save(update_fields=["status"])
    urls = {
        "remove": reverse(
            "reviews:assignment_remove",
            kwargs={
                "conference": w.conference.slug,
                "number": w.paper.number,
                "pk": rita_assignment.pk,
            },
        ),
        "restore": reverse(
            "reviews:assignment_restore",
            kwargs={
                "conference": w.conference.slug,
                "number": w.paper.number,
                "pk": rita_assignment.pk,
            },
        ),
        "proposal_remove": reverse(
            "reviews:proposal_remove",
            kwargs={"conference": w.conference.slug, "pk": w.proposal.pk, "pair": w.pair.pk},
        ),
    }
    if action == "restore":
        Assignment.objects.filter(pk=rita_assignment.pk).update(removed_at=timezone.now())
    response = client.post(urls[action], {"confirm": "yes"})
    assert response.status_code == 404
    assert (Assignment.objects.get(pk=rita_assignment.pk).removed_at is not None) == (
        action == "restore"
    )
    assert ProposedPair.objects.get(pk=w.pair.pk).change == PairChange.KEPT


def test_reviewer_loads_leave_out_the_conflicted_chairs_papers(client, world):
    """A per-reviewer load that counted the conflicted paper would name its reviewers by
    subtraction: for the conflicted chair the loads leave it out, and the page says so."""
    from reviews.models import Assignment

    url = reverse("reviews:assignment", kwargs={"conference": world.conference.slug})
    on_paper = set(
        Assignment.objects.live()
        .filter(submission=world.paper)
        .values_list("reviewer_id", flat=True)
    )
    assert on_paper
    loads = {}
    for viewer in ("chair", "conflicted_chair"):
        client.force_login(world.users[viewer])
        response = client.get(url)
        loads[viewer] = {
            row["reviewer"].user_id: row["load"] for row in response.context["reviewers"]
        }
        said = "leave out the 1 paper you are conflicted with" in response.content.decode()
        assert said == (viewer == "conflicted_chair")
    for user_id, load in loads["chair"].items():
        expected = load - 1 if user_id in on_paper else load
        assert loads["conflicted_chair"][user_id] == expected


# --- Issue 10 attack: a superuser is a chair, and a conflicted one when conflicted ---------------


def _superuser(user):
    user.is_superuser = True
    user.is_staff = True
    user.save(update_fields=["is_superuser", "is_staff"])
    return user


@pytest.mark.parametrize("who", ["author_in_response", "conflicted_chair", "chair_author"])
def test_issue10_attack_conflicted_superuser_does_not_see_the_papers_reviews(client, world, who):
    w = world
    client.force_login(_superuser(w.users[who]))
    slug, number = w.conference.slug, w.paper.number
    paper = client.get(reverse("reviews:paper", kwargs={"conference": slug, "number": number}))
    assert paper.status_code == 404
    api = client.get(f"/api/v1/conferences/{slug}/submissions/{number}/reviews/")
    assert api.status_code == 404
    assert w.names["mia"] not in api.content.decode()


def test_superuser_still_chairs_a_paper_they_are_not_conflicted_with(client, world):
    w = world
    client.force_login(_superuser(w.users["outsider"]))
    slug, number = w.conference.slug, w.paper.number
    paper = client.get(reverse("reviews:paper", kwargs={"conference": slug, "number": number}))
    assert paper.status_code == 200
    assert "MK-ML-SUMMARY" in paper.content.decode()


@pytest.mark.parametrize("who", ["conflicted_chair", "chair_author"])
def test_issue10_attack_conflicted_chair_reminders_leave_the_paper_out(client, world, who):
    """Sam's only unfinished review is on #1: "Remind" as a chair conflicted with #1 must
    neither email him about it nor answer "Reminded Sam" (that names #1's reviewer)."""
    w = world
    client.force_login(w.users[who])
    url = reverse("reviews:progress_remind", kwargs={"conference": w.conference.slug})
    sam = w.users["reviewer_not_submitted"]
    response = client.post(url, {"reviewer": sam.pk}, follow=True)
    assert w.names["sam"] not in _body(response)
    client.post(url, {"all": "1"})
    assert _mail_to(sam.email) == []


def test_conflicted_chair_sees_no_tag_of_the_paper(client, world):
    """The chairs' tags on the paper (a verdict in all but name) on every chair surface that
    shows tags: the decisions dashboard and its CSV, the submissions list, the paper's page with
    its history, the exports and the API. The other chair sees them on each. The tag names
    themselves (the filters' choices) are the chairs' shared vocabulary, not the paper's."""
    import re

    from submissions import chair_services

    marker = "tag-marker-kept-from-carl"
    number = world.paper.number
    chair_services.set_tag(
        conference=world.conference,
        numbers=[number],
        actor=world.users["chair"],
        name=marker,
        add=True,
    )
    slug = world.conference.slug
    export = reverse("submissions:chair_export", kwargs={"conference": slug})
    surfaces = [
        reverse("decisions:dashboard", kwargs={"conference": slug}),
        reverse("decisions:dashboard_csv", kwargs={"conference": slug}),
        reverse("submissions:chair_list", kwargs={"conference": slug}),
        reverse("submissions:chair_detail", kwargs={"conference": slug, "number": number}),
        f"{export}?format=csv",
        f"{export}?format=json",
        reverse("api-submission-list", kwargs={"conference": slug}),
        reverse("api-submission-detail", kwargs={"conference": slug, "number": number}),
    ]
    vocabulary = re.compile(
        r'<select name="tag".*?</select>|<datalist id="tag-names">.*?</datalist>', re.S
    )
    for viewer, sees in (("chair", True), ("conflicted_chair", False)):
        client.force_login(world.users[viewer])
        for url in surfaces:
            response = client.get(url)
            assert response.status_code == 200, (viewer, url)
            body = vocabulary.sub("", _body(response))
            assert (marker in body) is sees, (viewer, url)

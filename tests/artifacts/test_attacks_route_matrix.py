"""Every route of the artifacts app × every role (issue 12, the visibility matrix).

Each route in the ``artifacts`` namespace and each ``api-artifact*`` API route is reversed for
one artifact (#N in kick-the-tires, evaluators A and B) and requested by every role: its
author, the author of another artifact, an assigned evaluator, an unassigned one, the AE chair,
an AE chair conflicted with the paper, a program chair, a program chair conflicted with it,
an outsider and an anonymous visitor.
A role either *learns the route's object exists* (any answer but "not found": 200, a redirect
that is not to the login page, 400/403/405/409 for an action it may not take) or is *refused*
(404; anonymous: the login page or 401). POST-only routes are posted empty, each inside a
savepoint that is rolled back, so one role's action does not change the next role's answer.

A route without a row in ``EXPECTED`` fails, so a new route cannot ship without its rule.
"""

import pytest
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from artifacts.models import Badge, EvaluatorAssignment
from mlsys.conferences.enums import InvitationStatus, Role
from mlsys.conferences.models import CommitteeMembership
from tests import factories as f
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db

ROLES = (
    "author",
    "other_author",
    "ev",
    "other_ev",
    "ae",
    "conf_ae",
    "pc",
    "conf_pc",
    "outsider",
    "anon",
)
CHAIRS = {"ae", "conf_ae", "pc"}
UNCONFLICTED = {"ae", "pc"}
EVALUATORS = {"ev", "other_ev"}
LOGGED_IN = set(ROLES) - {"anon"}
#: Who may see the one artifact (its author, its live evaluator, unconflicted chairs).
ON_ARTIFACT = {"author", "ev"} | UNCONFLICTED

#: route name -> (method, roles that are not refused)
EXPECTED: dict[str, tuple[str, set[str]]] = {
    # Setup and committee (conference-wide, AE chairs and program chairs)
    "api-artifacts-settings": ("get", LOGGED_IN),
    "api-artifacts-badges": ("get", LOGGED_IN),
    "api-artifacts-badge": ("patch", LOGGED_IN),  # badges are public: 403 to write
    "api-artifacts-badge-retire": ("post", LOGGED_IN),
    "api-artifacts-badge-restore": ("post", LOGGED_IN),
    "api-artifacts-committee": ("get", CHAIRS),
    "api-artifacts-hardware": ("get", EVALUATORS),
    "artifacts:settings": ("get", CHAIRS),
    "artifacts:badges": ("get", CHAIRS),
    "artifacts:badge_create": ("get", CHAIRS),
    "artifacts:badge_edit": ("get", CHAIRS),
    "artifacts:badge_up": ("post", CHAIRS),
    "artifacts:badge_down": ("post", CHAIRS),
    "artifacts:badge_retire": ("post", CHAIRS),
    "artifacts:badge_restore": ("post", CHAIRS),
    "artifacts:badge_delete": ("get", CHAIRS),
    "artifacts:committee": ("get", CHAIRS),
    "artifacts:committee_invite": ("get", CHAIRS),
    "artifacts:committee_import": ("get", CHAIRS),
    "artifacts:committee_resend": ("post", CHAIRS),
    "artifacts:committee_load": ("get", CHAIRS),
    "artifacts:hardware": ("get", EVALUATORS),
    # Bidding and assignment
    "api-artifact-bids": ("get", EVALUATORS),
    "api-artifact-bid": ("put", EVALUATORS),
    "api-artifacts-mine": ("get", EVALUATORS),
    "api-artifact-assignments": ("get", CHAIRS),
    "api-artifact-assignment": ("delete", UNCONFLICTED),
    "api-artifact-assignment-run": ("post", CHAIRS),
    "api-artifact-assignment-commit": ("post", CHAIRS),
    "api-artifact-kick-the-tires": ("post", CHAIRS),
    "artifacts:bidding": ("get", EVALUATORS),
    "artifacts:bid": ("post", EVALUATORS),
    "artifacts:mine": ("get", EVALUATORS),
    "artifacts:assignment": ("get", CHAIRS),
    "artifacts:assignment_run": ("post", CHAIRS),
    "artifacts:assignment_commit": ("post", CHAIRS),
    "artifacts:assignment_kick_the_tires": ("post", CHAIRS),
    "artifacts:assignment_artifact": ("get", UNCONFLICTED),
    "artifacts:assignment_add": ("post", UNCONFLICTED),
    "artifacts:assignment_remove": ("get", UNCONFLICTED),
    # Registration (one artifact)
    "api-artifact": ("get", ON_ARTIFACT),
    "api-artifact-submit": ("post", ON_ARTIFACT),
    "api-artifact-withdraw": ("post", ON_ARTIFACT),
    "api-artifact-return": ("post", ON_ARTIFACT),
    "api-artifact-appendix": ("post", ON_ARTIFACT),
    "api-artifact-smoke-checks": ("get", ON_ARTIFACT),
    "artifacts:detail": ("get", ON_ARTIFACT),
    "artifacts:register": ("get", {"author"}),
    "artifacts:appendix": ("get", ON_ARTIFACT),
    "artifacts:submit": ("post", ON_ARTIFACT),
    "artifacts:withdraw": ("get", {"author"} | UNCONFLICTED),
    "artifacts:return": ("get", UNCONFLICTED),
    "artifacts:smoke_check": ("post", ON_ARTIFACT),
    "artifacts:reveal_secret": ("post", ON_ARTIFACT),
    # Evaluation (one artifact)
    "api-artifact-messages": ("get", {"ev"} | UNCONFLICTED),  # the evaluators-only thread
    "api-artifact-kick-check": ("get", {"ev"}),
    "api-artifact-kick-message": ("post", ON_ARTIFACT),
    "api-artifact-kick-answer": ("post", ON_ARTIFACT),
    "api-artifact-evaluation": ("get", {"ev"}),
    "api-artifact-evaluation-submit": ("post", {"ev"}),
    "api-artifact-proposal": ("put", ON_ARTIFACT),
    "api-artifact-decision": ("post", ON_ARTIFACT),
    "api-artifact-publish": ("post", ON_ARTIFACT),
    "artifacts:post_message": ("post", {"ev"} | UNCONFLICTED),
    "artifacts:kick_check": ("post", ON_ARTIFACT),
    "artifacts:kick_message": ("post", ON_ARTIFACT),
    "artifacts:kick_answer": ("post", ON_ARTIFACT),
    "artifacts:save_evaluation": ("post", ON_ARTIFACT),
    "artifacts:set_lead": ("post", ON_ARTIFACT),
    "artifacts:propose_badges": ("post", ON_ARTIFACT),
    "artifacts:decide_badges": ("post", ON_ARTIFACT),
    "artifacts:reopen_decision": ("post", ON_ARTIFACT),
    "artifacts:publish_badges": ("post", ON_ARTIFACT),
    "artifacts:advance_artifact": ("post", ON_ARTIFACT),
    "artifacts:overview": ("get", CHAIRS),
    "artifacts:overview_export": ("get", CHAIRS),
    "artifacts:overview_bulk": ("post", CHAIRS),
    # Results, exports, stamping
    "api-artifact-results": ("get", set(ROLES)),
    "api-artifact-paper-results": ("get", set()),  # not published: nobody
    "api-artifact-badge-export": ("get", CHAIRS),
    "api-artifact-badge-export-csv": ("get", CHAIRS),
    "api-artifact-stamp": ("get", {"author"} | UNCONFLICTED),
    "artifacts:results": ("get", set(ROLES)),
    "artifacts:paper_results": ("get", set()),
    "artifacts:badge_export": ("get", CHAIRS),
    "artifacts:stamp": ("post", set()),  # not published: nothing to stamp, 404
}


def route_names() -> list[str]:
    names: list[str] = []

    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif namespace == "artifacts":
                names.append(f"artifacts:{p.name}")
            elif p.name and p.name.startswith("api-artifact"):
                names.append(p.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_artifacts_route_has_a_row():
    """A new route without its rule fails here (and a row whose route is gone, too)."""
    names = route_names()
    assert sorted(set(names) - set(EXPECTED)) == []
    assert sorted(set(EXPECTED) - set(names)) == []


def _url(name, w, badge, membership, assignment) -> str:
    """The route reversed for the world's objects. A bare ``pk`` names the badge, the
    assignment or the committee membership by the route's name: reversing with the wrong
    object's pk passes only while the ids happen to coincide (SQLite re-uses ids after a
    rollback, PostgreSQL's sequences do not)."""
    number = w.artifact.submission.number
    if "badge" in name:
        pk = badge.pk
    elif "assignment" in name:
        pk = assignment.pk
    else:
        pk = membership.pk
    candidates = [
        {},
        {"number": number},
        {"pk": pk},
        {"number": number, "thread": "evaluators"},
        {"number": number, "pk": assignment.pk},
    ]
    for extra in candidates:
        try:
            return reverse(name, kwargs={"conference": w.conference.slug, **extra})
        except Exception:  # noqa: BLE001 - the next set of kwargs
            continue
    raise AssertionError(f"cannot reverse {name}")


class Rollback(Exception):
    pass


def _refused(role: str, response) -> bool:
    if role == "anon":
        if response.status_code in (401, 404):
            return True
        return response.status_code == 302 and "/login" in response["Location"]
    return response.status_code == 404


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_route_matrix(name):
    method, allowed = EXPECTED[name]
    # A program chair conflicted with the paper is refused exactly where a conflicted AE chair is.
    allowed = allowed | ({"conf_pc"} if "conf_ae" in allowed else set())
    w = af.artifact_world()
    other_author = f.UserFactory()
    af.ArtifactFactory(conference=w.conference, authors=[other_author], status="submitted")
    conflicted_program_chair = f.UserFactory()
    f.MembershipFactory(
        conference=w.conference,
        user=conflicted_program_chair,
        role=Role.PROGRAM_CHAIR,
        status=InvitationStatus.ACCEPTED,
    )
    f.ConflictFactory(submission=w.artifact.submission, user=conflicted_program_chair)
    users = {
        "author": w.author,
        "other_author": other_author,
        "ev": w.evaluator_a,
        "other_ev": w.other_evaluator,
        "ae": w.ae_chair,
        "conf_ae": w.conflicted_ae_chair,
        "pc": w.program_chair,
        "conf_pc": conflicted_program_chair,
        "outsider": w.outsider,
        "anon": None,
    }
    url = _url(
        name,
        w,
        Badge.objects.filter(conference=w.conference).first(),
        CommitteeMembership.objects.get(conference=w.conference, user=w.evaluator_a),
        EvaluatorAssignment.objects.filter(artifact=w.artifact).first(),
    )
    wrong = {}
    for role in ROLES:
        client = APIClient()
        if users[role] is not None:
            client.force_login(users[role])
        try:
            with transaction.atomic():
                response = getattr(client, method)(url)
                raise Rollback
        except Rollback:
            pass
        assert response.status_code < 500, (role, response.status_code)
        refused = _refused(role, response)
        if refused == (role in allowed):
            wrong[role] = response.status_code
    assert wrong == {}, f"{name} {url}: unexpected answers {wrong}"

"""Schemathesis over the whole API: no input, valid or not, may answer a 5xx (issue 8).

The project's own OpenAPI schema is loaded from ``/api/schema/`` and every operation is called
in-process (WSGI, no network) with generated inputs, fitting the schema and not, as a program
chair and as a PC member of a small seeded conference, each with a Bearer token. Path
parameters mostly name objects that exist, so the calls reach the views instead of stopping at
a 404. The run is bounded: ``MAX_EXAMPLES`` inputs per operation and mode, and a total time
budget (``BUDGET_SECONDS``); the test fails on any 5xx (Schemathesis' ``not_a_server_error``
check) and lists every failing call with the exception the server logged.
"""

import logging
import os
import time
from contextlib import contextmanager, suppress

import pytest
import schemathesis
from django.core import signals
from django.core.files.base import ContentFile
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode

from mlsys.accounts.services import create_api_token
from mlsys.conferences import enums, invitations
from mlsys.conferences.invitation_csv import Invitee
from reviews.enums import ProposalStatus
from reviews.models import Assignment, AssignmentProposal, Review
from tests import factories
from tests.reviews.reviewing_helpers import real_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.schemathesis]

# A deeper run: MLSYS_SCHEMATHESIS_EXAMPLES=100 MLSYS_SCHEMATHESIS_BUDGET=1800 pytest <this file>
MAX_EXAMPLES = int(os.environ.get("MLSYS_SCHEMATHESIS_EXAMPLES", "10"))
BUDGET_SECONDS = float(os.environ.get("MLSYS_SCHEMATHESIS_BUDGET", "90"))
SLUG = "fuzzconf"


@contextmanager
def _connection_kept_open():
    """Django closes the database connection after each request; the test's transaction (and
    the in-memory SQLite database) must survive the calls, as with Django's test client."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _closing(handler):
    """The WSGI app as a server runs it: the response is read, then closed (file downloads
    keep their file open until then)."""

    def app(environ, start_response):
        response = handler(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            response.close()

    return app


class _ServerErrors(logging.Handler):
    """Keeps what Django logs for a 5xx (the exception), to name it in the failure report."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records: list[str] = []

    def emit(self, record):
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            text += f" — {type(exc).__name__}: {exc}"[:300]
        self.records.append(text)


def _seed():
    """A conference with both tracks, a paper under review with a written review, a chair and
    two PC members; returns the tokens of the chair and a PC member, and the known ids."""
    conference = factories.conference_in_submission_phase(slug=SLUG, name="Fuzz 2027")
    chair = factories.UserFactory(name="Fuzz Chair")
    factories.MembershipFactory(conference=conference, user=chair, role=enums.Role.PROGRAM_CHAIR)
    reviewer = factories.UserFactory(name="Fuzz Reviewer")
    factories.MembershipFactory(
        conference=conference, user=reviewer, role=enums.Role.PC_MEMBER, side=enums.Side.ML
    )
    other = factories.UserFactory(name="Other Reviewer")
    factories.MembershipFactory(
        conference=conference, user=other, role=enums.Role.PC_MEMBER, side=enums.Side.SYSTEMS
    )
    author = factories.UserFactory(name="Fuzz Author")
    paper = factories.SubmissionFactory(
        conference=conference, track=conference.tracks.get(slug="research"), authors=[author]
    )
    paper.topics.set(conference.topics.all()[:2])
    pdf = factories.SubmissionFileFactory(
        submission=paper,
        file=ContentFile(real_pdf(), name="paper.pdf"),
        review_copy=ContentFile(real_pdf(), name="review-copy.pdf"),
    )
    paper.current_paper = pdf
    paper.save(update_fields=["current_paper"])
    for person in (reviewer, other):
        factories.AssignmentFactory(submission=paper, reviewer=person, released=True)
    # Reached by the chairs' scripting API (issue 10): a pending invitation, open bidding with
    # a bid, and a ready proposal with a pair.
    invitations.invite_member(
        conference=conference,
        invitee=Invitee(name="Fuzz Invitee", email="invitee@fuzz.example.org", side="ML"),
        actor=chair,
    )
    factories.PhaseSettingFactory(conference=conference, phase="bidding", mode="open")
    factories.BidFactory(submission=paper, user=other, value="willing")
    proposal = factories.AssignmentProposalFactory(
        conference=conference, created_by=chair, status=ProposalStatus.READY
    )
    factories.ProposedPairFactory(proposal=proposal, submission=paper, user=other, change="new")
    _, chair_key = create_api_token(user=chair, name="fuzz")
    _, reviewer_key = create_api_token(user=reviewer, name="fuzz")
    ids = sorted(
        {
            *conference.tracks.values_list("pk", flat=True),
            *conference.topics.values_list("pk", flat=True),
            *conference.memberships.values_list("pk", flat=True),
            *Assignment.objects.values_list("pk", flat=True),
            *AssignmentProposal.objects.values_list("pk", flat=True),
            *Review.objects.values_list("pk", flat=True),
            *conference.review_forms.values_list("pk", flat=True),
            pdf.pk,
        }
    )
    return {"chair": chair_key, "pc_member": reviewer_key}, {"number": [paper.number], "id": ids}


def _path_strategy(names, known):
    """Path parameters: the seeded conference, and mostly ids that exist."""
    fixed = {"conference": st.just(SLUG)}
    for name in names:
        if name in known:
            fixed[name] = st.one_of(st.sampled_from(known[name]), st.integers(0, 2**63 - 1))
    return st.fixed_dictionaries(fixed)


def test_no_api_operation_answers_a_server_error():
    tokens, known = _seed()
    app = _closing(WSGIHandler())
    errors = _ServerErrors()
    logging.getLogger("django.request").addHandler(errors)
    failures: list[str] = []
    deadline = time.monotonic() + BUDGET_SECONDS
    calls = 0

    def run(operation, mode):
        nonlocal calls
        names = [p.name for p in operation.path_parameters]

        @given(data=st.data())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def check(data):
            nonlocal calls
            path = data.draw(_path_strategy(names, known))
            case = data.draw(operation.as_strategy(mode, path_parameters=path))
            for role, key in tokens.items():
                errors.records.clear()
                response = case.call(headers={"Authorization": f"Bearer {key}"})
                calls += 1
                try:
                    case.validate_response(response, checks=[not_a_server_error])
                except (AssertionError, FailureGroup):
                    logged = "; ".join(errors.records) or "(nothing logged)"
                    failures.append(
                        f"{role}: {case.method} {response.request.url} → "
                        f"{response.status_code}: {logged}"
                    )

        # Unsatisfiable: e.g. no way to break the schema of an operation without inputs.
        with suppress(Unsatisfiable):
            check()

    # Inputs that fit the schema for every operation first, then inputs that don't: if the
    # budget runs out on a slow machine, every operation has still been called.
    skipped = []
    with _connection_kept_open():
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            for operation in operations:
                if time.monotonic() > deadline:
                    skipped.append(f"{operation.label} ({mode})")
                    continue
                run(operation, mode)
    logging.getLogger("django.request").removeHandler(errors)

    assert calls > 0
    if skipped:
        print(f"Time budget spent; not run: {', '.join(skipped)}")
    assert failures == [], "\n".join(dict.fromkeys(failures))

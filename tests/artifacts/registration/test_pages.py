"""The authors' pages: the registration form (pre-filled, bad input kept, concurrent edits),
the artifact page's registration section, reveal, submit, withdraw and return — with the roles
that must be refused."""

import pytest
from django.urls import reverse

from artifacts import secrets
from artifacts.enums import ArtifactStatus as S
from artifacts.models import Artifact
from artifacts.registration import services
from mlsys.core.models import AuditEvent
from tests import factories as f
from tests.artifacts.registration.conftest import GOOD, badge
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


def url(name, conference, number):
    return reverse(f"artifacts:{name}", kwargs={"conference": conference.slug, "number": number})


def form_data(conference, **changes):
    data = {**GOOD, "badges": [str(badge(conference, "available").pk)], **changes}
    return data


def test_register_page_prefilled_for_the_author(client, paper, ada, bob):
    client.force_login(ada)
    page = client.get(url("register", paper.conference, paper.number))
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["summary"] == "We make tensor compilers fast."
    assert form.initial["contact"] == bob.pk
    text = page.content.decode()
    assert "Archived with a DOI on Zenodo" in text  # the badges' checklists
    assert "Carol" not in str(form.fields["contact"].choices)  # no account, no contact


@pytest.mark.parametrize("who", ["outsider", "other_author", "ae_chair", "evaluator"])
def test_register_page_refused(client, paper, who):
    conference = paper.conference
    user = f.UserFactory()
    if who == "other_author":
        f.SubmissionFactory(conference=conference, status="accepted", authors=[user])
    elif who == "ae_chair":
        user = af.ae_chair(conference)
    elif who == "evaluator":
        user = af.evaluator(conference)
    client.force_login(user)
    target = url("register", conference, paper.number)
    assert client.get(target).status_code == 404
    assert client.post(target, form_data(conference)).status_code == 404
    assert not Artifact.objects.exists()


def test_register_then_see_the_artifact(client, paper, ada):
    client.force_login(ada)
    response = client.post(
        url("register", paper.conference, paper.number),
        form_data(paper.conference, contact=str(ada.pk)),
    )
    assert response.status_code == 302
    artifact = Artifact.objects.get()
    assert artifact.version == GOOD["version"] and artifact.contact == ada
    page = client.get(response["Location"]).content.decode()
    assert "10.5281/zenodo.1234567" in page and "Figure 3" in page
    assert "hunter2" not in page  # behind "Reveal"
    assert "Reveal the credentials" in page
    assert "Submit for evaluation" in page


def test_bad_input_comes_back_with_what_was_typed(client, paper, ada):
    client.force_login(ada)
    typed = "A long summary I do not want to lose."
    response = client.post(
        url("register", paper.conference, paper.number),
        form_data(paper.conference, summary=typed, version="main", doi="zenodo"),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert typed in text
    assert "“main” is a branch" in text and "A DOI looks like" in text
    assert not Artifact.objects.exists()


def test_oversized_text_through_the_page(client, paper, ada):
    client.force_login(ada)
    response = client.post(
        url("register", paper.conference, paper.number),
        form_data(paper.conference, access_instructions="y" * 30_000),
    )
    assert response.status_code == 400
    assert "The access instructions is 30,000 characters long; at most 20,000." in (
        response.content.decode()
    )


def test_concurrent_edit_is_refused_and_nothing_is_lost(client, world):
    artifact = world.artifact
    conference = world.conference
    # Somebody else saves first.
    services.update_artifact(
        artifact=artifact, actor=world.author, data={"licence": "BSD-3-Clause"}, revision=0
    )
    client.force_login(world.author)
    mine = "My summary typed while the other save happened."
    response = client.post(
        url("register", conference, artifact.submission.number),
        form_data(conference, revision="0", summary=mine, licence="MIT"),
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert mine in text and "Someone saved this artifact" in text
    assert "BSD-3-Clause" in text  # what is saved now is shown
    assert Artifact.objects.get(pk=artifact.pk).licence == "BSD-3-Clause"
    # The form now carries the newer revision: saving again is a deliberate overwrite.
    assert response.context["form"].data["revision"] == "1"


@pytest.mark.parametrize(
    "who", ["evaluator_a", "other_evaluator", "ae_chair", "conflicted_ae_chair", "outsider"]
)
def test_edit_refused_to_others(client, world, who):
    client.force_login(getattr(world, who))
    target = url("register", world.conference, world.artifact.submission.number)
    assert client.post(target, form_data(world.conference, revision="0")).status_code == 404


def test_read_only_after_submission_says_why(client, world):
    Artifact.objects.filter(pk=world.artifact.pk).update(status=S.SUBMITTED)
    client.force_login(world.author)
    page = client.get(url("register", world.conference, world.artifact.submission.number))
    assert "the registration can no longer be changed" in page.content.decode()
    response = client.post(
        url("register", world.conference, world.artifact.submission.number),
        form_data(world.conference, revision="0", licence="X-1"),
    )
    assert response.status_code == 403
    assert Artifact.objects.get(pk=world.artifact.pk).licence == "MIT"


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("author", 200),
        ("evaluator_a", 200),
        ("ae_chair", 200),
        ("other_evaluator", 404),
        ("conflicted_ae_chair", 404),
        ("outsider", 404),
    ],
)
def test_reveal_secret(client, world, who, code):
    Artifact.objects.filter(pk=world.artifact.pk).update(
        access_secret=secrets.encrypt("ssh-key-AAAA")
    )
    client.force_login(getattr(world, who))
    response = client.post(
        url("reveal_secret", world.conference, world.artifact.submission.number),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == code
    if code == 200:
        assert "ssh-key-AAAA" in response.content.decode()
        assert response["Cache-Control"] == "no-store"
        assert AuditEvent.objects.filter(action="artifacts.secret_revealed").count() == 1
    else:
        assert not AuditEvent.objects.filter(action="artifacts.secret_revealed").exists()


def test_submit_from_the_page(client, world, django_capture_on_commit_callbacks):
    Artifact.objects.filter(pk=world.artifact.pk).update(contact=world.author)
    target = url("submit", world.conference, world.artifact.submission.number)
    for who in ("evaluator_a", "outsider", "conflicted_ae_chair"):
        client.force_login(getattr(world, who))
        assert client.post(target).status_code in (302, 404)
        assert Artifact.objects.get(pk=world.artifact.pk).status == S.REGISTERED
    client.force_login(world.author)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(target).status_code == 302
    assert Artifact.objects.get(pk=world.artifact.pk).status == S.SUBMITTED


def test_withdraw_confirms_what_stays(client, world):
    af.ArtifactMessageFactory(artifact=world.artifact)
    target = url("withdraw", world.conference, world.artifact.submission.number)
    client.force_login(world.author)
    page = client.get(target).content.decode()
    assert "1 message with the evaluators" in page
    assert client.post(target, {}).status_code == 400  # not confirmed
    assert Artifact.objects.get(pk=world.artifact.pk).status == S.REGISTERED
    for who in ("evaluator_a", "conflicted_ae_chair", "outsider"):
        client.force_login(getattr(world, who))
        assert client.get(target).status_code == 404
    client.force_login(world.ae_chair)
    assert client.post(target, {"confirm": "on"}).status_code == 302
    assert Artifact.objects.get(pk=world.artifact.pk).status == S.WITHDRAWN
    assert world.artifact.messages.count() == 1


def test_chair_returns_with_a_note(client, django_capture_on_commit_callbacks):
    from django.core import mail

    world = af.artifact_world(status=S.SUBMITTED, badges=("available",))
    target = url("return", world.conference, world.artifact.submission.number)
    for who in ("author", "evaluator_a", "conflicted_ae_chair", "outsider"):
        client.force_login(getattr(world, who))
        assert client.post(target, {"note": "x"}).status_code == 404
    client.force_login(world.ae_chair)
    assert client.post(target, {"note": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(target, {"note": "Pin a commit, not main."}).status_code == 302
    assert Artifact.objects.get(pk=world.artifact.pk).status == S.RETURNED
    assert "Pin a commit, not main." in mail.outbox[-1].body


def test_archived_conference_is_read_only(client, world):
    from django.utils import timezone

    type(world.conference).objects.filter(pk=world.conference.pk).update(archived_at=timezone.now())
    client.force_login(world.author)
    response = client.post(
        url("register", world.conference, world.artifact.submission.number),
        form_data(world.conference, revision="0", licence="X-1"),
    )
    assert response.status_code == 403
    assert Artifact.objects.get(pk=world.artifact.pk).licence == "MIT"


def test_artifact_page_query_count_does_not_grow_with_experiments(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.author)
    target = url("detail", world.conference, world.artifact.submission.number)
    Artifact.objects.filter(pk=world.artifact.pk).update(
        experiments=[{"name": f"E{i}", "human_minutes": 1, "compute_hours": 1} for i in range(100)]
    )
    with django_assert_max_num_queries(60):
        assert client.get(target).status_code == 200


def test_another_papers_author_sees_nothing(client, api, world):
    other = f.UserFactory()
    af.ArtifactFactory(conference=world.conference, authors=[other])
    client.force_login(other)
    number = world.artifact.submission.number
    for name in ("detail", "register", "withdraw", "return", "appendix"):
        assert client.get(url(name, world.conference, number)).status_code == 404, name
    for name in ("submit", "smoke_check", "reveal_secret"):
        assert client.post(url(name, world.conference, number)).status_code == 404, name
    api.force_authenticate(other)
    api_url = reverse(
        "api-artifact", kwargs={"conference": world.conference.slug, "number": number}
    )
    assert api.get(api_url).status_code == 404
    assert api.patch(api_url, {"revision": 0}, format="json").status_code == 404


def test_anonymous_is_sent_to_log_in(client, world):
    response = client.get(url("register", world.conference, world.artifact.submission.number))
    assert response.status_code == 302 and "login" in response["Location"]

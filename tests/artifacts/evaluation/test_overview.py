"""The AE chairs' overview: counts per artifact, conflicted rows bare, filters, CSV, constant
query counts, bulk actions with reasons for what they skip."""

import pytest
from django.urls import reverse
from django.utils import timezone

from artifacts.enums import ArtifactStatus as S
from artifacts.models import Artifact, Evaluation, KickTheTiresCheck
from tests import factories as f
from tests.factories import artifacts as af

pytestmark = pytest.mark.django_db


def overview(world, name="overview"):
    return reverse(f"artifacts:{name}", kwargs={"conference": world.conference.slug})


def add_artifacts(world, n, status=S.EVALUATING):
    made = []
    for _ in range(n):
        a = af.ArtifactFactory(conference=world.conference, status=status, badges=["available"])
        af.EvaluatorAssignmentFactory(artifact=a)
        made.append(a)
    return made


def test_counts_and_names(world, client):
    a, b = world.artifact.assignments.order_by("alias")
    KickTheTiresCheck.objects.create(assignment=a, submitted_at=timezone.now())
    Evaluation.objects.create(assignment=b, submitted_at=timezone.now())
    Evaluation.objects.create(assignment=a)  # a draft does not count
    client.force_login(world.ae_chair)
    response = client.get(overview(world))
    assert response.status_code == 200
    row = response.context["rows"][0]["artifact"]
    assert (row.n_evaluators, row.n_checks, row.n_evaluations) == (2, 1, 1)
    assert world.artifact.submission.title in response.content.decode()


def test_conflicted_rows_show_only_number_title_status(world, client):
    world.artifact.lead = world.evaluator_a
    world.artifact.save()
    client.force_login(world.conflicted_ae_chair)
    response = client.get(overview(world))
    html = response.content.decode()
    assert world.artifact.submission.title in html
    assert "conflicted" in html
    assert "Zebulon" not in html and "Artifacts Available" not in html.split("<tbody>")[1]
    csv = b"".join(client.get(overview(world, "overview_export")).streaming_content).decode()
    assert world.artifact.submission.title in csv and "Zebulon" not in csv


def test_conflicted_rows_are_left_out_of_evaluation_filters(world, client):
    client.force_login(world.conflicted_ae_chair)
    response = client.get(overview(world), {"badge": "available"})
    assert response.context["rows"] == []
    response = client.get(overview(world), {"status": S.KICK_THE_TIRES})
    assert len(response.context["rows"]) == 1


def test_filters(world, client):
    others = add_artifacts(world, 2, status=S.DECIDED)
    client.force_login(world.ae_chair)

    def numbers(**params):
        rows = client.get(overview(world), params).context["rows"]
        return sorted(r["artifact"].submission.number for r in rows)

    assert numbers(status=S.DECIDED) == sorted(a.submission.number for a in others)
    assert numbers(attention="1") == sorted(a.submission.number for a in others)
    assert numbers(badge="functional") == [world.artifact.submission.number]
    assert numbers(q=str(world.artifact.submission.number)) == [world.artifact.submission.number]
    assert numbers(q=f"#{others[0].submission.number}") == [others[0].submission.number]
    world.artifact.submission.title = "Sparse attention kernels"
    world.artifact.submission.save(update_fields=["title"])
    assert numbers(q="ATTENTION kern") == [world.artifact.submission.number]


def test_csv_export(world, client):
    client.force_login(world.ae_chair)
    response = client.get(overview(world, "overview_export"))
    text = b"".join(response.streaming_content).decode()
    header, first = text.splitlines()[:2]
    assert header.startswith("number,title,status,badges requested,evaluators")
    assert first.startswith(f"{world.artifact.submission.number},")


@pytest.mark.parametrize("who", ["evaluator_a", "author", "outsider", "other_evaluator"])
def test_overview_is_the_chairs(world, client, who):
    client.force_login(getattr(world, who))
    assert client.get(overview(world)).status_code == 404
    assert client.get(overview(world, "overview_export")).status_code == 404
    response = client.post(
        overview(world, "overview_bulk"), {"action": "publish", "artifact": [world.artifact.pk]}
    )
    assert response.status_code == 404


def test_query_count_is_constant(world, client, django_assert_num_queries):
    client.force_login(world.ae_chair)
    client.get(overview(world))  # warm caches (content types, templates)
    with django_assert_num_queries(QUERIES):
        client.get(overview(world))
    add_artifacts(world, 9)
    with django_assert_num_queries(QUERIES):
        response = client.get(overview(world))
    assert len(response.context["rows"]) == 10


#: conference, its deadlines and phase switches, session, user, roles, the count, conflicts
#: (conflict rows, authorship, review bids, artifact bids), the page of rows, their requested
#: badges, the badge list for the filter.
QUERIES = 14


def test_bulk_advance_skips_with_reasons(world, client):
    idle = af.ArtifactFactory(conference=world.conference, status=S.SUBMITTED, badges=["available"])
    done = af.ArtifactFactory(conference=world.conference, status=S.PUBLISHED, badges=["available"])
    client.force_login(world.ae_chair)
    response = client.post(
        overview(world, "overview_bulk"),
        {"action": "advance", "artifact": [world.artifact.pk, idle.pk, done.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "1 artifact(s) moved on" in html
    assert f"#{idle.submission.number} skipped: it has no evaluators" in html
    assert f"#{done.submission.number} skipped: it is published" in html
    assert Artifact.objects.get(pk=world.artifact.pk).status == S.EVALUATING


def test_bulk_publish_skips_conflicted_and_undecided(world, client):
    decided = af.ArtifactFactory(
        conference=world.conference, status=S.DECIDED, badges=["available"]
    )
    theirs = af.ArtifactFactory(conference=world.conference, status=S.DECIDED, badges=["available"])
    f.ConflictFactory(submission=theirs.submission, user=world.ae_chair)
    client.force_login(world.ae_chair)
    response = client.post(
        overview(world, "overview_bulk"),
        {"action": "publish", "artifact": [decided.pk, theirs.pk, world.artifact.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "1 artifact(s) published" in html
    assert f"#{theirs.submission.number} skipped: you are conflicted with this paper" in html
    assert "not decided" in html
    assert Artifact.objects.get(pk=decided.pk).status == S.PUBLISHED
    assert Artifact.objects.get(pk=theirs.pk).status == S.DECIDED


def test_bulk_pick_leads(world, client):
    client.force_login(world.ae_chair)
    client.post(
        overview(world, "overview_bulk"), {"action": "pick_leads", "artifact": [world.artifact.pk]}
    )
    assert Artifact.objects.get(pk=world.artifact.pk).lead == world.evaluator_a


def test_bulk_without_choice_explains(world, client):
    client.force_login(world.ae_chair)
    response = client.post(overview(world, "overview_bulk"), {"action": "advance"}, follow=True)
    assert "Tick at least one artifact" in response.content.decode()

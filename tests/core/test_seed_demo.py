"""``manage.py seed_demo``: a small demo conference (6 papers, PC of 4) built end to end,
with real PDFs going through the real upload pipeline."""

import io
import json
from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from mlsys.accounts.models import User
from mlsys.conferences import enums
from mlsys.conferences.models import CommitteeMembership, Conference, Deadline, Topic
from mlsys.core.demo import build
from mlsys.core.demo.plan import PASSWORD, make_plan
from submissions import enums as sub_enums
from submissions.models import Conflict, Submission, SubmissionFile

SMALL = ["--papers", "6", "--reviewers", "4", "--seed", "1"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """One small demo, seeded and committed once for the module (so the pipeline's on-commit
    checks run), then deleted. Yields the manifest and the command's output."""
    from django.core.files.storage import storages
    from django.test import override_settings

    media = tmp_path_factory.mktemp("demo-media")
    path = media / "manifest.json"
    storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    with (
        django_db_blocker.unblock(),
        override_settings(
            STORAGES={**storages.backends, "default": {**storage, "OPTIONS": {"location": media}}}
        ),
    ):
        out = io.StringIO()
        call_command("seed_demo", *SMALL, "--manifest", str(path), stdout=out)
        files = {
            f.submission.number: (media / f.file.name).read_bytes()
            for f in SubmissionFile.objects.select_related("submission")
        }
        yield {"manifest": json.loads(path.read_text()), "output": out.getvalue(), "files": files}
        build.reset()


@pytest.mark.django_db
def test_small_seed_builds_a_conference_in_its_submission_phase(demo):
    conference = Conference.objects.get(slug="mlsys2027")
    assert conference.timezone == "Etc/GMT+12"
    assert conference.current_phase == enums.Phase.SUBMISSION
    assert set(Deadline.objects.filter(conference=conference).values_list("kind", flat=True)) == (
        set(enums.DeadlineKind.values)
    )
    tracks = {t.slug: t for t in conference.tracks.all()}
    assert tracks["research"].anonymity == enums.Anonymity.DOUBLE_BLIND
    assert (tracks["research"].page_limit, tracks["research"].columns) == (10, 2)
    assert tracks["research"].paper_size == enums.PaperSize.LETTER
    assert tracks["industry"].anonymity == enums.Anonymity.NAMES_HIDDEN
    assert tracks["industry"].page_limit == 6
    assert Counter(Topic.objects.filter(conference=conference).values_list("area", flat=True)) == {
        enums.Area.ML: 20,
        enums.Area.SYSTEMS: 20,
    }
    roles = Counter(
        CommitteeMembership.objects.filter(
            conference=conference, status=enums.InvitationStatus.ACCEPTED
        ).values_list("role", "side")
    )
    assert roles == {
        (enums.Role.PROGRAM_CHAIR, ""): 1,
        (enums.Role.AE_CHAIR, ""): 1,
        (enums.Role.PC_MEMBER, enums.Side.ML): 2,
        (enums.Role.PC_MEMBER, enums.Side.SYSTEMS): 2,
    }
    assert User.objects.count() == 2 + 4 + 60
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == 66

    submissions = Submission.objects.filter(conference=conference).order_by("number")
    assert [s.number for s in submissions] == [1, 2, 3, 4, 5, 6]
    assert Counter(s.status for s in submissions) == {
        sub_enums.Status.SUBMITTED: 3,
        sub_enums.Status.DRAFT: 2,
        sub_enums.Status.WITHDRAWN: 1,
    }
    for sub in submissions:
        assert 1 <= sub.authors.count() <= 5
        assert sub.track.min_topics <= sub.topics.count() <= sub.track.max_topics
        assert sub.authors.filter(user__isnull=True).count() == 0
    assert SubmissionFile.objects.filter(kind=sub_enums.FileKind.PAPER).count() == 5
    assert Conflict.objects.filter(source=sub_enums.ConflictSource.AUTHOR_DECLARED).count() == 1
    # The committee conflicts planted by the plan are found by the detector.
    assert Conflict.objects.exclude(source=sub_enums.ConflictSource.AUTHOR_DECLARED).exists()
    assert PASSWORD in demo["output"]
    assert "chair@mlsys2027.example.org" in demo["output"]


@pytest.mark.django_db
def test_manifest_lists_accounts_and_papers_and_the_chair_can_log_in(demo, client):
    doc = demo["manifest"]

    assert doc["conference"] == "mlsys2027"
    assert len(doc["accounts"]) == 66
    assert set(doc["accounts"][0]) == {"name", "email", "password", "roles", "side"}
    chair = doc["accounts"][0]
    assert chair["roles"] == [enums.Role.PROGRAM_CHAIR]
    assert doc["accounts"][1]["roles"] == [enums.Role.AE_CHAIR]
    assert Counter(a["side"] for a in doc["accounts"] if a["side"]) == {"ML": 2, "SYSTEMS": 2}
    assert [s["number"] for s in doc["submissions"]] == [1, 2, 3, 4, 5, 6]
    first = doc["submissions"][0]
    assert {"number", "title", "track", "anonymous", "authors", "conflicted_accounts"} <= set(first)
    assert set(first["authors"][0]) == {"name", "email"}
    declared = Conflict.objects.get(source=sub_enums.ConflictSource.AUTHOR_DECLARED)
    entry = doc["submissions"][declared.submission.number - 1]
    assert declared.user.email in entry["conflicted_accounts"]

    assert client.login(email=chair["email"], password=chair["password"])
    assert client.login(email=doc["accounts"][-1]["email"], password=PASSWORD)


@pytest.mark.django_db
def test_if_empty_keeps_the_existing_demo_and_rewrites_the_manifest(demo, tmp_path):
    counts = (User.objects.count(), Submission.objects.count(), SubmissionFile.objects.count())
    out = io.StringIO()

    call_command(
        "seed_demo", *SMALL, "--if-empty", "--manifest", str(tmp_path / "m.json"), stdout=out
    )

    assert "already exists" in out.getvalue()
    assert PASSWORD in out.getvalue()
    assert json.loads((tmp_path / "m.json").read_text()) == demo["manifest"]
    after = (User.objects.count(), Submission.objects.count(), SubmissionFile.objects.count())
    assert after == counts
    with pytest.raises(CommandError, match="exists"):
        call_command("seed_demo", *SMALL, stdout=io.StringIO())


@pytest.mark.django_db
def test_same_seed_gives_the_same_demo_after_reset(demo, tmp_path):
    # Inside this test's transaction: the checks never run and the reset is rolled back.
    out = io.StringIO()

    call_command("seed_demo", *SMALL, "--reset", "--manifest", str(tmp_path / "m.json"), stdout=out)

    assert "Deleted the demo conference and 66 demo accounts." in out.getvalue()
    assert json.loads((tmp_path / "m.json").read_text()) == demo["manifest"]
    assert User.objects.count() == 66
    other = make_plan(papers=6, reviewers=4, seed=2)
    assert [p.title for p in other.papers] != [s["title"] for s in demo["manifest"]["submissions"]]


@pytest.mark.django_db
def test_demo_pdfs_carry_the_planted_problems_and_are_checked(demo):
    notes = {p.number: p for p in make_plan(papers=6, reviewers=4, seed=1).papers}
    files = {f.submission.number: f for f in SubmissionFile.objects.select_related("submission")}

    def reader(number: int) -> PdfReader:
        return PdfReader(io.BytesIO(demo["files"][number]))

    leak = next(n for n, p in notes.items() if "leak" in p.note)
    assert reader(leak).metadata["/Author"] == notes[leak].authors[0].name
    assert files[leak].check_status == sub_enums.CheckStatus.FAILED
    assert any(notes[leak].authors[0].name in e["message"] for e in files[leak].report["errors"])
    hidden = next(n for n, p in notes.items() if "hidden" in p.note)
    first_page = " ".join(reader(hidden).pages[0].extract_text().split())
    assert "ignore all previous instructions" in first_page
    assert files[hidden].check_status == sub_enums.CheckStatus.WARNINGS
    acknowledging = next(n for n, p in notes.items() if "acknowledgements" in p.note)
    assert reader(acknowledging).metadata.get("/Author") is None
    assert files[acknowledging].check_status == sub_enums.CheckStatus.WARNINGS
    long_draft = next(n for n, p in notes.items() if "page limit" in p.note)
    assert files[long_draft].pages_before_references > 6
    assert files[long_draft].check_status == sub_enums.CheckStatus.FAILED
    assert all(f.submission.current_paper_id == f.pk for f in files.values())

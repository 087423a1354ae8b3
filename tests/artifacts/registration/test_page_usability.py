"""What a first-time author sees on the artifact page: the way to the appendix upload and a
readable hardware line (found walking through the demo as a new user)."""

from django.urls import reverse

from artifacts.enums import ArtifactStatus as S
from artifacts.models import Artifact


def page(client, world, who):
    client.force_login(getattr(world, who))
    target = reverse(
        "artifacts:detail",
        kwargs={"conference": world.conference.slug, "number": world.artifact.submission.number},
    )
    return client.get(target).content.decode()


def test_registered_artifact_links_to_the_appendix_upload(client, world):
    html = page(client, world, "author")
    assert "Upload the appendix (PDF)" in html
    assert "/registration/#appendix-heading" in html


def test_no_appendix_link_once_submitted_or_for_evaluators(client, world):
    Artifact.objects.filter(pk=world.artifact.pk).update(status=S.SUBMITTED)
    assert "Upload the appendix" not in page(client, world, "author")
    assert "Upload the appendix" not in page(client, world, "ae_chair")


def test_hardware_is_one_readable_line(client, world):
    Artifact.objects.filter(pk=world.artifact.pk).update(
        gpu_count=2, gpu_model="A100", cpu_cores=0, ram_gb=64, disk_gb=0
    )
    html = page(client, world, "author")
    assert "2 × A100 · 64 GB RAM" in html
    assert "A100;" not in html


def test_home_says_what_the_author_has_to_do(client, world):
    client.force_login(world.author)
    assert "Complete and submit the artifact" in client.get("/").content.decode()
    Artifact.objects.filter(pk=world.artifact.pk).update(status=S.AWAITING_AUTHOR)
    html = client.get("/").content.decode()
    assert "Answer the evaluators" in html and "#thread-authors" in html
    Artifact.objects.filter(pk=world.artifact.pk).update(status=S.EVALUATING)
    html = client.get("/").content.decode()
    assert "Answer the evaluators" not in html and "The artifact" in html

"""The demo seeded once for the whole tests/demo package (seeding takes several seconds)."""

import io
import json

import pytest
from django.core.management import call_command

from demo import build
from submissions.models import SubmissionFile
from tests.demo.seeding import SMALL


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """One small demo, seeded and committed once for the package (so the pipeline's on-commit
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

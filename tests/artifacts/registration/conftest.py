"""A conference running AE with an accepted paper (author Ada, co-author Bob with an account,
Carol without one) not yet registered, and ``artifact_world()`` for a registered artifact."""

import pytest

from artifacts.enums import ArtifactStatus as S
from tests import factories as f
from tests.factories import artifacts as af


@pytest.fixture
def ae_conference(db):
    return af.ae_conference()


@pytest.fixture
def ada(db):
    return f.UserFactory(name="Ada Author", email="ada@uni.example.edu")


@pytest.fixture
def bob(db):
    return f.UserFactory(name="Bob Coauthor", email="bob@lab.example.org")


@pytest.fixture
def paper(ae_conference, ada, bob):
    paper = f.SubmissionFactory(
        conference=ae_conference,
        status="accepted",
        abstract="We make tensor compilers fast.",
    )
    f.AuthorFactory(submission=paper, user=ada, name=ada.name, email=ada.email, order=0)
    f.AuthorFactory(
        submission=paper, user=bob, name=bob.name, email=bob.email, order=1, is_contact=True
    )
    f.AuthorFactory(submission=paper, name="Carol Noaccount", email="carol@x.example", order=2)
    return paper


@pytest.fixture
def world(db):
    return af.artifact_world(status=S.REGISTERED, badges=("available",))


def badge(conference, key):
    from artifacts.models import Badge

    return Badge.objects.get(conference=conference, key=key)


GOOD = {
    "summary": "Code and data for the paper.",
    "repository_url": "https://github.com/lab/artifact",
    "version": "3f2c1a9b7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b",
    "doi": "https://doi.org/10.5281/zenodo.1234567",
    "licence": "Apache-2.0",
    "packaging": "container",
    "packaging_notes": "docker run lab/artifact",
    "gpu_model": "A100 80GB",
    "gpu_count": "2",
    "cpu_cores": "16",
    "ram_gb": "64",
    "disk_gb": "200",
    "special_hardware": "InfiniBand\n",
    "experiments": "Figure 3 | 15 | 2.5\nTable 2 | 5 | 0.5",
    "datasets": "ImageNet subset | dataset | 12 | https://example.org/data\nLlama | model | 13",
    "access_instructions": "ssh into the testbed",
    "access_secret": "user: eval / password: hunter2-very-secret",
}


#: Hosts the smoke checks would fetch; pointed at a closed local port unless a test starts a
#: server (no network in tests).
SMOKE_HOSTS = ("github.com", "raw.githubusercontent.com", "gitlab.com", "doi.org", "example.org")


@pytest.fixture(autouse=True)
def _no_network(settings):
    settings.ARTIFACT_SMOKE_REWRITE = dict.fromkeys(SMOKE_HOSTS, "http://127.0.0.1:9")
    settings.ARTIFACT_SMOKE_TIMEOUT = 1

"""The smoke checks against a local HTTP server (no network): a healthy artifact, a missing
repository, a DOI that redirects, a server too slow, HEAD refused, redirect loops, and the
refusal of private addresses (directly and through a redirect). Never a crash."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from artifacts.enums import ArtifactStatus as S
from artifacts.models import SmokeCheck
from artifacts.registration import services, smoke
from artifacts.registration.tasks import smoke_check
from tests.factories import artifacts as af

VERSION = "3f2c1a9b7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b"


class Handler(BaseHTTPRequestHandler):
    routes: dict = {}

    def log_message(self, *args):
        pass

    def _answer(self, body: bool):
        path = self.path
        if path.startswith("/slow"):
            time.sleep(1.5)
        if path == "/head-refused" and self.command == "HEAD":
            self.send_response(405)
            self.end_headers()
            return
        if path.startswith("/doi/10.5281/zenodo.1"):
            self.send_response(302)
            self.send_header("Location", "https://local.test/landing")
            self.end_headers()
            return
        if path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        if path == "/to-metadata":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.end_headers()
            return
        ok = path in (
            "/lab/artifact",
            "/landing",
            "/head-refused",
            "/slow",
            f"/raw/lab/artifact/{VERSION}/LICENSE",
            f"/raw/lab/artifact/{VERSION}/README.md",
            f"/raw/lab/nolicence/{VERSION}/README.md",
            "/lab/nolicence",
        )
        self.send_response(200 if ok else 404)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        if body:
            self.wfile.write(b"ok" if ok else b"missing")

    def do_HEAD(self):  # noqa: N802
        self._answer(False)

    def do_GET(self):  # noqa: N802
        self._answer(True)


@pytest.fixture
def server(settings):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    settings.ARTIFACT_SMOKE_REWRITE = {
        "github.com": base,
        "raw.githubusercontent.com": f"{base}/raw",
        "doi.org": f"{base}/doi",
        "local.test": base,
    }
    settings.ARTIFACT_SMOKE_TIMEOUT = 0.5
    yield base
    httpd.shutdown()
    httpd.server_close()


def levels(results):
    return {r["check"]: r["level"] for r in results}


def test_a_healthy_artifact(server):
    results = smoke.run(
        repository_url="https://github.com/lab/artifact", version=VERSION, doi="10.5281/zenodo.1"
    )
    assert levels(results) == {"repository": "ok", "doi": "ok", "licence": "ok", "readme": "ok"}
    assert results[2]["message"] == "LICENSE is present at 3f2c1a9b7e6d."


def test_missing_repository_doi_and_licence_are_warnings(server):
    results = smoke.run(
        repository_url="https://github.com/lab/nolicence", version=VERSION, doi="10.9999/none"
    )
    assert levels(results) == {
        "repository": "ok",
        "doi": "warning",
        "licence": "warning",
        "readme": "ok",
    }
    assert "did not resolve: Answers HTTP 404." in results[1]["message"]
    assert "No LICENSE found" in results[2]["message"]
    results = smoke.run(repository_url="https://github.com/lab/gone", version=VERSION, doi="")
    assert levels(results)["repository"] == "warning"
    assert levels(results)["doi"] == "warning"


def test_timeout_is_a_warning(server):
    answer = smoke.fetch("https://local.test/slow")
    assert not answer.ok and answer.message == "No answer within 0.5 seconds."


def test_head_refused_falls_back_to_get(server):
    assert smoke.fetch("https://local.test/head-refused").ok


def test_redirect_loop_stops(server):
    answer = smoke.fetch("https://local.test/loop")
    assert answer.message == "More than 5 redirects."


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:1/",
        "http://localhost/",
        "http://10.1.2.3/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "http://[::ffff:127.0.0.1]/",
        "http://2130706433/",
    ],
)
def test_private_addresses_are_refused(url):
    answer = smoke.fetch(url)
    assert not answer.ok
    assert "private or reserved address" in answer.message


def test_a_redirect_to_a_private_address_is_refused(server):
    answer = smoke.fetch("https://local.test/to-metadata")
    assert "private or reserved address (169.254.169.254)" in answer.message


def test_other_schemes_are_refused():
    assert "Only http and https" in smoke.fetch("file:///etc/passwd").message


def test_unknown_hosts_only_get_the_url_checks(server):
    results = smoke.run(repository_url="https://local.test/lab/artifact", version="v1", doi="")
    assert [r["check"] for r in results] == ["repository", "doi", "files"]


def test_gitlab_raw_urls():
    assert (
        smoke.raw_urls("https://gitlab.com/group/sub/proj", "v1.0", "LICENSE")
        == "https://gitlab.com/group/sub/proj/-/raw/v1.0/LICENSE"
    )
    assert smoke.raw_urls("https://bitbucket.org/a/b", "v1", "LICENSE") is None


@pytest.mark.django_db
def test_submission_runs_the_task_and_the_page_shows_it(
    server, client, django_capture_on_commit_callbacks
):
    world = af.artifact_world(status=S.REGISTERED, badges=("available",))
    world.artifact.repository_url = "https://github.com/lab/artifact"
    world.artifact.doi = "10.5281/zenodo.1"
    world.artifact.contact = world.author
    world.artifact.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_artifact(artifact=world.artifact, actor=world.author)
    check = SmokeCheck.objects.get()
    assert check.status == "ready"
    assert levels(check.results)["repository"] == "ok"
    url = reverse(
        "artifacts:detail",
        kwargs={"conference": world.conference.slug, "number": world.artifact.submission.number},
    )
    for who in ("author", "evaluator_a", "ae_chair"):
        client.force_login(getattr(world, who))
        assert (
            "The repository https://github.com/lab/artifact answers."
            in client.get(url).content.decode()
        )


@pytest.mark.django_db
def test_rerun_on_request_and_who_may(server, client, django_capture_on_commit_callbacks):
    world = af.artifact_world(status=S.SUBMITTED, badges=("available",))
    url = reverse(
        "artifacts:smoke_check",
        kwargs={"conference": world.conference.slug, "number": world.artifact.submission.number},
    )
    for who in ("outsider", "other_evaluator", "conflicted_ae_chair"):
        client.force_login(getattr(world, who))
        assert client.post(url).status_code == 404
    assert not SmokeCheck.objects.exists()
    client.force_login(world.evaluator_a)  # sees the results but does not run them
    client.post(url)
    assert not SmokeCheck.objects.exists()
    client.force_login(world.author)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert SmokeCheck.objects.get().status == "ready"


@pytest.mark.django_db
def test_a_broken_run_is_failed_not_a_crash(monkeypatch):
    world = af.artifact_world(status=S.SUBMITTED, badges=("available",))
    check = SmokeCheck.objects.create(artifact=world.artifact, repository_url="https://x")

    def boom(**kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(smoke, "run", boom)
    assert smoke_check(id=check.pk) == "failed"
    check.refresh_from_db()
    assert check.results[0]["level"] == "warning"
    assert smoke_check(id=check.pk) == "failed"  # a re-delivered task changes nothing
    assert smoke_check(id=999999) is None

"""An oversized request is refused on its headers, before its body is read (issue 13: a 21 MB
body used to be received in full before the 20 MB limit refused it).

The requests go through the site's real WSGI application with a ``wsgi.input`` that fails the
test if anything reads it.
"""

import io
import json

import pytest

from tests import raw_wsgi

MB = 1024 * 1024


class UnreadableBody(io.RawIOBase):
    """A request body that must not be read."""

    def readable(self):
        return True

    def read(self, *args):
        raise AssertionError("the request body was read")

    readline = readinto = read


def call(path: str, *, length: int | None, chunked: bool = False, accept: str = "text/html"):
    return raw_wsgi.post(path, UnreadableBody(), length=length, chunked=chunked, accept=accept)


UPLOAD = "/c/mlsys-2027/submissions/1/files/paper/"


def test_a_body_over_the_limit_is_refused_with_413_without_reading_it(db, settings):
    settings.MAX_REQUEST_BYTES = 20 * MB
    status, headers, body = call(UPLOAD, length=21 * MB)
    assert status == 413
    assert headers["Content-Type"].startswith("text/html")
    assert "That upload is too large" in body
    assert "up to 20 MB" in body
    assert "Nothing was saved" in body


def test_the_api_refuses_it_in_its_json_error_shape(db, settings):
    settings.MAX_REQUEST_BYTES = 20 * MB
    status, headers, body = call(
        "/api/v1/conferences/mlsys-2027/submissions/1/files/", length=21 * MB
    )
    assert status == 413
    assert headers["Content-Type"] == "application/json"
    error = json.loads(body)["error"]
    assert error["code"] == "request_too_large"
    assert "20 MB at most" in error["message"]


def test_the_default_limit_refuses_more_than_the_default_tracks_largest_upload(db):
    status, _, _ = call(UPLOAD, length=106 * MB)
    assert status == 413


def test_a_chunked_body_without_length_is_refused_unread(db):
    status, headers, body = call("/api/v1/conferences/", length=None, chunked=True)
    assert status == 411
    assert json.loads(body)["error"]["code"] == "length_required"


@pytest.mark.parametrize("length", [1, 100_000])
def test_a_body_within_the_limit_reaches_the_view(client, db, length):
    # Through the test client (a readable body): the login page answers the post itself.
    response = client.post("/accounts/login/", {"login": "a@b.example", "password": "x" * length})
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )

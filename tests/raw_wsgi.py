"""A multipart POST straight through Django's WSGI handler, with a body stream of the test's
own (one that breaks, or claims a length it never sends): what the test client can't send."""

import io

from django.core.handlers.wsgi import WSGIHandler


def post(path: str, body, *, length: int | None, chunked: bool = False, accept: str = "text/html"):
    """(status, headers, text) of a multipart POST of ``body`` (a readable stream) to ``path``."""
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "HTTP_ACCEPT": accept,
        "CONTENT_TYPE": "multipart/form-data; boundary=xyz",
        "wsgi.input": body,
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }
    if length is not None:
        environ["CONTENT_LENGTH"] = str(length)
    if chunked:
        environ["HTTP_TRANSFER_ENCODING"] = "chunked"
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"] = int(status.split()[0])
        started["headers"] = dict(headers)

    text = b"".join(WSGIHandler()(environ, start_response)).decode()
    return started["status"], started["headers"], text

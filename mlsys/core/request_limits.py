"""Refuse an oversized request body before anything reads it.

Django reads an upload in full (to disk) before a form can say it is too large, so a 2 GB body
costs 2 GB of traffic and disk even though the answer is "no". This middleware runs first and
looks only at the headers: a ``Content-Length`` above ``MAX_REQUEST_BYTES`` is answered with 413
at once. A chunked body (``Transfer-Encoding: chunked``, no ``Content-Length``) is not read by
Django at all (its stream is limited to the announced length, i.e. zero), so such a request would
silently arrive empty; it is answered 411 instead. The reverse proxy limits sizes as well
(docs/deploy.md); this is the app's own guard for the processes it runs.
"""

from django.conf import settings

from mlsys.core import error_pages


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.MAX_REQUEST_BYTES
        declared = request.META.get("CONTENT_LENGTH") or ""
        if declared:
            try:
                length = int(declared)
            except ValueError:
                return error_pages.bad_request(request)
            if length > limit:
                return error_pages.request_too_large(request, limit)
        elif "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return error_pages.length_required(request)
        return self.get_response(request)

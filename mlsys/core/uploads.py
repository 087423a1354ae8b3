"""An upload the server cannot receive (its temporary space is full or unwritable) answers 503.

Django parses a multipart body before any view runs: a file over FILE_UPLOAD_MAX_MEMORY_SIZE
is written, chunk by chunk, to a temporary file in FILE_UPLOAD_TEMP_DIR. When that disk is full
the ``OSError`` surfaces wherever the body is first read, for a browser's form in
``CsrfViewMiddleware.process_view``, where no view and no ``process_exception`` can catch it: a
500 for an author uploading at the deadline. Two parts fix that:

- :class:`TemporaryFileUploadHandler` (``FILE_UPLOAD_HANDLERS``) turns an ``OSError`` writing
  the temporary file into :class:`UploadNotReceived`, after removing the partial file and
  logging the path and errno at ERROR. Only the writing is guarded, so a client that hangs up
  mid-body (``UnreadablePostError``, also an ``OSError``) is not mistaken for a full disk.
- :class:`UploadGuardMiddleware`, listed just before the CSRF middleware, reads a multipart
  POST's body in its ``process_view`` (where the CSRF check would have) and answers
  :class:`UploadNotReceived`, there or raised by a view that reads the body itself (the API's,
  any method), with the site's 503 page, or the API's error shape under ``/api/``.

Nothing was stored (the view never ran), so the person's previous version is untouched. The
storage step has its own guard for a full media disk (``submissions.pipeline.StorageFailed``).
"""

import contextlib
import errno
import logging
import os
import tempfile

from django.conf import settings
from django.core.files import uploadhandler
from django.http import UnreadablePostError
from django.shortcuts import render

from mlsys.core import error_pages

logger = logging.getLogger(__name__)

FULL = (errno.ENOSPC, errno.EDQUOT)


class UploadNotReceived(Exception):
    """The body of a request could not be received: its temporary file could not be written.
    Its message is for the person who sent it."""

    def __init__(self, cause: OSError) -> None:
        reason = "is full" if cause.errno in FULL else "could not be written"
        super().__init__(
            f"The server could not receive your file: its temporary space {reason}. "
            "Nothing was changed: your previous version, if any, is kept. "
            "Please try again later: the error has been logged for the administrators."
        )


class TemporaryFileUploadHandler(uploadhandler.TemporaryFileUploadHandler):
    """Django's handler, with a failed write turned into :class:`UploadNotReceived`."""

    def new_file(self, *args, **kwargs):
        try:
            super().new_file(*args, **kwargs)
        except OSError as exc:
            # tempfile removes a file it could not open; nothing of this one exists.
            where = exc.filename or settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir()
            raise self._failed(exc, where) from exc

    def receive_data_chunk(self, raw_data, start):
        try:
            return super().receive_data_chunk(raw_data, start)
        except OSError as exc:
            raise self._failed(exc, self._discard()) from exc

    def file_complete(self, file_size):
        try:
            # The seek flushes the last buffered chunk, so it can be what finds the disk full.
            return super().file_complete(file_size)
        except OSError as exc:
            raise self._failed(exc, self._discard()) from exc

    def _discard(self) -> str:
        """Remove the partial temporary file; return its path."""
        path = self.file.temporary_file_path()
        with contextlib.suppress(OSError):
            self.file.close()  # a NamedTemporaryFile unlinks itself, even when the flush fails
        try:
            os.remove(path)
        except FileNotFoundError:
            pass  # the close removed it
        except OSError:
            logger.exception("Removing the partial upload %s failed", path)
        return path

    def _failed(self, exc: OSError, path: str) -> UploadNotReceived:
        logger.error(
            "Receiving an upload to %s %s failed writing its temporary file %s "
            "(errno %s: %s); the request was refused and nothing of it was kept.",
            self.request.method if self.request else "?",
            self.request.path if self.request else "?",
            path,
            exc.errno,
            exc.strerror,
        )
        return UploadNotReceived(exc)


class UploadGuardMiddleware:
    """Answers a body that could not be received (:class:`UploadNotReceived`) with 503.

    Listed just before the CSRF middleware, it reads a multipart POST first whenever that check
    would (the view is not ``csrf_exempt``), since an exception there reaches no handler;
    a view that reads the body itself (the API's) raises into :meth:`process_exception`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            request.method != "POST"
            or request.content_type != "multipart/form-data"
            or getattr(view_func, "csrf_exempt", False)
        ):
            return None
        try:
            request.POST  # noqa: B018 (reading it receives the body and its files)
        except UploadNotReceived as exc:
            return not_received(request, exc)
        except UnreadablePostError:
            pass  # the client hung up mid-body: the CSRF check refuses the empty form, as before
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, UploadNotReceived):
            return not_received(request, exception)
        return None


def not_received(request, exc: UploadNotReceived):
    if error_pages.is_api(request):
        return error_pages.api_error("upload_not_received", str(exc), 503)
    return render(request, "upload_not_received.html", {"message": str(exc)}, status=503)

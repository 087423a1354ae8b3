"""The one place where errors become API responses.

Every error body has the same shape: ``{"error": {"code": ..., "message": ..., "fields": {...}}}``.
Services raise :class:`django.core.exceptions.ValidationError` or
:class:`django.core.exceptions.PermissionDenied`; this handler maps them, so viewsets never
catch exceptions themselves.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from mlsys.core.errors import Conflict


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, Conflict):
        return Response(
            {
                "error": {
                    "code": "conflict",
                    "message": str(exc),
                    "fields": {},
                    "current": exc.current,
                }
            },
            status=status.HTTP_409_CONFLICT,
        )

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        message = "Some fields are invalid."
        if list(detail) == ["non_field_errors"]:
            message = " ".join(str(m) for m in detail["non_field_errors"])
        response.data = {"error": {"code": "invalid", "message": message, "fields": detail}}
    else:
        code = getattr(exc, "default_code", "error")
        detail = getattr(exc, "detail", str(exc))
        response.data = {"error": {"code": code, "message": str(detail), "fields": {}}}
    return response

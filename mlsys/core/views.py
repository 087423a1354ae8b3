import mimetypes
import os

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin

from mlsys.celery import app as celery_app
from mlsys.core import files


@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico on their own; send them to the collected (hashed) icon.

    Temporary, so a new icon's hashed name is picked up within a day.
    """
    return HttpResponseRedirect(static("favicon.ico"))


def _may_see_health_details(request) -> bool:
    """Staff, or a direct request from a trusted address (``HEALTHZ_TRUSTED_IPS``, loopback by
    default: the container's own health check). A request relayed by a proxy (it carries
    ``X-Forwarded-For``) is never trusted by address, since it arrives from the proxy's."""
    from django.conf import settings

    if request.user.is_authenticated and request.user.is_staff:
        return True
    if "HTTP_X_FORWARDED_FOR" in request.META:
        return False
    return request.META.get("REMOTE_ADDR", "") in settings.HEALTHZ_TRUSTED_IPS


@never_cache
def healthz(request):
    """Database and broker reachability as JSON; 503 when a configured dependency is down.

    Only staff and trusted addresses see which part failed and why (errors name hosts, ports
    and users); everyone else gets ``{"ok": true|false}`` with the same status code."""
    from django.conf import settings

    checks: dict[str, dict] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # a health check reports any failure instead of raising
        checks["database"] = {"ok": False, "error": str(exc)[:200]}

    if settings.CELERY_TASK_ALWAYS_EAGER:
        checks["broker"] = {"ok": True, "mode": "eager (no broker configured)"}
    else:
        try:
            with celery_app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = {"ok": True, "mode": "redis"}
        except Exception as exc:  # noqa: BLE001 - any broker failure is reported
            checks["broker"] = {"ok": False, "error": str(exc)[:200]}

    ok = all(check["ok"] for check in checks.values())
    body = {"ok": ok, **checks} if _may_see_health_details(request) else {"ok": ok}
    return JsonResponse(body, status=200 if ok else 503)


# The review page embeds the paper PDF (an <object> on the same site); every other page is
# X-Frame-Options: DENY.
@method_decorator(xframe_options_sameorigin, name="dispatch")
class ProtectedFileView(LoginRequiredMixin, View):
    """Serve one stored file after the permission its kind names is granted on its object."""

    raise_exception = False

    def get(self, request, kind: str, pk: int):
        spec = files.get_kind(kind)
        if spec is None:
            raise Http404
        obj = spec.get_model()._default_manager.filter(pk=pk).first()
        # The request's viewer (mlsys.conferences.viewer) when its middleware set one.
        asker = getattr(request, "viewer", request.user)
        if obj is None or not asker.has_perm(spec.permission, obj):
            raise Http404
        stored = getattr(obj, spec.field)
        if not stored:
            raise Http404
        name = spec.filename(obj) if spec.filename else os.path.basename(stored.name)
        try:
            handle = stored.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        content_type = spec.content_type or mimetypes.guess_type(name)[0]
        is_pdf = content_type == "application/pdf"
        # Only PDFs are shown inline (the browser's PDF viewer; uploads with JavaScript or
        # launch actions never pass the checks). Anything else is always a download, and is
        # sandboxed in case a browser renders it anyway.
        response = FileResponse(
            handle,
            as_attachment=bool(request.GET.get("download")) or not is_pdf,
            filename=name,
            content_type=content_type or "application/octet-stream",
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        # The site's policy (django-csp) forbids framing; a PDF may be embedded by our own pages,
        # as its X-Frame-Options: SAMEORIGIN says (h3: the two agree).
        if is_pdf:
            response["Content-Security-Policy"] = "frame-ancestors 'self'"
        else:
            response["Content-Security-Policy"] = (
                "default-src 'none'; sandbox; frame-ancestors 'none'"
            )
        return response

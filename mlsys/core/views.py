import mimetypes
import os

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin

from mlsys.core import files, health, proxy


@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico on their own; send them to the collected (hashed) icon.

    Temporary, so a new icon's hashed name is picked up within a day.
    """
    return HttpResponseRedirect(static("favicon.ico"))


def _may_see_health_details(request) -> bool:
    """Staff, or a request from a trusted address (``HEALTHZ_TRUSTED_IPS``, loopback by
    default: the container's own health check). A direct request (no ``X-Forwarded-For``) is
    judged by its peer address; one relayed by our own proxy (``TRUSTED_PROXIES``) by the client
    address the proxy names. A request relayed by any other proxy is never trusted by address,
    since it arrives from the proxy's."""
    from django.conf import settings

    if request.user.is_authenticated and request.user.is_staff:
        return True
    if "HTTP_X_FORWARDED_FOR" not in request.META:  # direct: an operator's curl on the host
        return request.META.get("REMOTE_ADDR", "") in settings.HEALTHZ_TRUSTED_IPS
    if proxy.from_trusted_proxy(request):
        client = proxy.forwarded_client(request)
        return client is not None and client in settings.HEALTHZ_TRUSTED_IPS
    return False


@never_cache
def healthz(request):
    """The site's health as JSON (mlsys.core.health; docs/deploy.md, "Monitoring").

    ``/healthz``, for load balancers: can this web process serve pages (database, a template
    renders)? ``/healthz?full=1``, for monitors: also the broker, the workers' heartbeat, the
    oldest pending PDF check and the mail backlog. 503 when an essential part fails; a failing
    non-essential part (mail) is named under ``degraded`` with 200.

    Only staff and trusted addresses see which part failed and why (errors name hosts, ports
    and users); everyone else gets ``{"ok": true|false}`` with the same status code."""
    full = request.GET.get("full") in ("1", "true", "yes")
    if not _may_see_health_details(request):
        # a caller who learns only "ok" gets a report a few seconds old at most.
        report = health.run_public(full=full)
        return JsonResponse({"ok": report.ok}, status=report.status_code)
    report = health.run(full=full)
    body = {"ok": report.ok, **report.checks}
    if report.degraded:
        body["degraded"] = report.degraded
    return JsonResponse(body, status=report.status_code)


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
        # as its X-Frame-Options: SAMEORIGIN says (the two agree).
        if is_pdf:
            response["Content-Security-Policy"] = "frame-ancestors 'self'"
        else:
            response["Content-Security-Policy"] = (
                "default-src 'none'; sandbox; frame-ancestors 'none'"
            )
        return response

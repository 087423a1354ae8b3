"""Error responses: the site's branded pages, and the API's JSON error shape under /api/.

Django calls these handlers (named in ``mlsys.urls``) when a view raises, when no URL matches,
and for uncaught exceptions with DEBUG off. Under ``/api/`` every one answers in the shape the
DRF handler gives (``mlsys.core.api.exceptions``): ``{"error": {"code", "message", "fields"}}``,
so a client never has to parse an HTML page, even for a bug. Elsewhere they render the branded
templates; 400, 413, 429 and 500 extend ``error_base.html``, which needs no context processor
and no database (500 is rendered when either may be what failed).
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=status)


def _plain_page(template: str, status: int, context: dict | None = None) -> HttpResponse:
    """Rendered without the request: no context processor, no database query."""
    return HttpResponse(loader.render_to_string(template, context or {}), status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    if is_api(request):
        return api_error("bad_request", "The request could not be understood.", 400)
    return _plain_page("400.html", 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    if is_api(request):
        message = str(exception or "") or "You do not have permission to perform this action."
        return api_error("permission_denied", message, 403)
    return defaults.permission_denied(request, exception)


@requires_csrf_token
def page_not_found(request, exception=None):
    if is_api(request):
        return api_error("not_found", f"There is no API endpoint at {request.path}.", 404)
    return defaults.page_not_found(request, exception)


@requires_csrf_token
def server_error(request):
    """Django has already logged the exception with its traceback (logger ``django.request``)."""
    if is_api(request):
        return api_error(
            "server_error",
            "The server hit an unexpected error; it has been logged. Nothing was changed "
            "unless a later read shows otherwise: check before retrying a write.",
            500,
        )
    return _plain_page("500.html", 500)


def too_many_requests(request, exception=None):
    """allauth's rate limits (sign-in, sign-up, password reset) answer with this view."""
    if is_api(request):
        return api_error("throttled", "Too many attempts; wait a few minutes, then try again.", 429)
    return _plain_page("429.html", 429, {"wait": _allauth_wait(request)})


def request_too_large(request, limit: int) -> HttpResponse:
    megabytes = limit / (1024 * 1024)
    message = (
        f"The request is larger than this site accepts ({megabytes:.0f} MB at most); "
        "nothing was received. Send a smaller file."
    )
    if is_api(request):
        return api_error("request_too_large", message, 413)
    return _plain_page("413.html", 413, {"limit_mb": round(megabytes)})


def length_required(request) -> HttpResponse:
    message = (
        "The request body was sent without a Content-Length (chunked); this site only accepts "
        "bodies whose size is given up front."
    )
    if is_api(request):
        return api_error("length_required", message, 411)
    return HttpResponse(message, status=411, content_type="text/plain; charset=utf-8")


#: allauth's rate-limited actions, by the URL name of the page that consumes them.
_ALLAUTH_ACTIONS = {
    "account_login": ("login", "login_failed"),
    "account_signup": ("signup",),
    "account_reset_password": ("reset_password", "reset_password_email"),
    "account_email": ("manage_email",),
    "account_change_password": ("change_password",),
    "account_reauthenticate": ("reauthenticate",),
    "account_email_verification_sent": ("confirm_email",),
    "account_confirm_email": ("confirm_email",),
}


def _allauth_wait(request) -> str:
    """How long the longest window of the limit this page hit lasts ("5 minutes"), or ""."""
    from allauth.account import app_settings
    from allauth.core.internal.ratelimit import parse_rates

    match = getattr(request, "resolver_match", None)
    actions = _ALLAUTH_ACTIONS.get(getattr(match, "url_name", None) or "", ())
    try:
        rates = [
            rate for action in actions for rate in parse_rates(app_settings.RATE_LIMITS.get(action))
        ]
    except (ValueError, AttributeError):
        return ""
    seconds = max((int(rate.duration) for rate in rates), default=0)
    if not seconds:
        return ""
    if seconds < 120:
        return f"{seconds} seconds"
    if seconds < 2 * 3600:
        return f"{round(seconds / 60)} minutes"
    return f"{round(seconds / 3600)} hours"

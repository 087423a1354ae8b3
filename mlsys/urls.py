from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)

from mlsys.conferences.views.create import CreateConferenceView
from mlsys.conferences.views.home import HomeView
from mlsys.core import views as core_views

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path(
        "files/<str:kind>/<int:pk>/", core_views.ProtectedFileView.as_view(), name="protected_file"
    ),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("profile/", include("mlsys.accounts.urls")),
    path("api/v1/", include("mlsys.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # the split Swagger view loads its start-up script from a URL (no inline script), and
    # its page's template has no inline <style> (Content-Security-Policy).
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api_schema", template_name="api/swagger_ui.html"
        ),
        name="api_docs",
    ),
    # ReDoc is not served: it writes inline styles at run time, builds a worker from a blob:
    # URL and loads its logo from a CDN, all of which the Content-Security-Policy refuses.
    # Swagger UI shows the same schema; old links land there.
    path("api/redoc/", RedirectView.as_view(pattern_name="api_docs", permanent=True)),
    path("conferences/new/", CreateConferenceView.as_view(), name="conference_create"),
    path("c/<slug:conference>/", include("mlsys.conferences.urls")),
    path("c/<slug:conference>/mail/", include("mlsys.conferences.mail_urls")),
    path("c/<slug:conference>/submissions/", include("submissions.urls")),
    path("c/<slug:conference>/reviews/", include("reviews.urls")),
    path("c/<slug:conference>/decisions/", include("decisions.urls")),
    path("c/<slug:conference>/artifacts/", include("artifacts.urls")),
]

# branded error pages, and the API's JSON error shape for every error under /api/
# (mlsys.core.error_pages). allauth's rate limits use handler429 too.
handler400 = "mlsys.core.error_pages.bad_request"
handler403 = "mlsys.core.error_pages.permission_denied"
handler404 = "mlsys.core.error_pages.page_not_found"
handler500 = "mlsys.core.error_pages.server_error"
handler429 = "mlsys.core.error_pages.too_many_requests"

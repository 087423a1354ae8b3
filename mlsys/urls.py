from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

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
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api_schema"), name="api_redoc"),
    path("conferences/new/", CreateConferenceView.as_view(), name="conference_create"),
    path("c/<slug:conference>/", include("mlsys.conferences.urls")),
    path("c/<slug:conference>/mail/", include("mlsys.conferences.mail_urls")),
    path("c/<slug:conference>/submissions/", include("submissions.urls")),
    path("c/<slug:conference>/reviews/", include("reviews.urls")),
    path("c/<slug:conference>/decisions/", include("decisions.urls")),
    path("c/<slug:conference>/artifacts/", include("artifacts.urls")),
]

"""Every API route under /api/v1/, collected from the apps' ``api/urls.py``."""

from django.urls import include, path

urlpatterns = [
    path("", include("mlsys.accounts.api.urls")),
    path("", include("mlsys.conferences.api.urls")),
    path("conferences/<slug:conference>/", include("submissions.api.urls")),
    path("conferences/<slug:conference>/", include("reviews.api.urls")),
    path("conferences/<slug:conference>/", include("decisions.api.urls")),
    path("conferences/<slug:conference>/", include("artifacts.api.urls")),
]

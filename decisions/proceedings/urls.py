"""The chairs' proceedings page (namespace "decisions")."""

from django.urls import path

from decisions.proceedings import views

urlpatterns = [
    path("proceedings/", views.ProceedingsPageView.as_view(), name="proceedings"),
    path("proceedings/builds/", views.ProceedingsBuildsView.as_view(), name="proceedings_builds"),
    path("proceedings/export/", views.ProceedingsExportView.as_view(), name="proceedings_export"),
    path("proceedings/build/", views.ProceedingsBuildView.as_view(), name="proceedings_build"),
]

from django.urls import path

from artifacts.badges import views

urlpatterns = [
    path("results/", views.ResultsView.as_view(), name="results"),
    path("results/export/", views.BadgeExportView.as_view(), name="badge_export"),
    path("results/<int:number>/", views.PaperResultsView.as_view(), name="paper_results"),
    path("<int:number>/stamp/", views.StampView.as_view(), name="stamp"),
]

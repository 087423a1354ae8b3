"""The decisions dashboard's pages (namespace ``decisions``), under /c/<conference>/decisions/."""

from django.urls import path

from decisions.dashboard import views

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard.csv", views.CsvView.as_view(), name="dashboard_csv"),
    path("decide/<int:number>/", views.DecideView.as_view(), name="decide"),
    path("decide/", views.BulkView.as_view(), name="decide_bulk"),
    path("outcomes/", views.OutcomesView.as_view(), name="outcomes"),
    path("views/", views.SavedViewsView.as_view(), name="saved_views"),
]

# Plots, threshold and meeting mode (decisions/dashboard/{plots,threshold,meeting}.py) below.

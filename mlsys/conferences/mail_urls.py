"""Chairs' email template pages under /c/<conference>/mail/ (namespace "mail"). They live with
conferences, which mail must not import; the templates and the outbox stay in mlsys.mail."""

from django.urls import path

from mlsys.conferences.views import mail as views

app_name = "mail"
urlpatterns = [
    path("templates/", views.TemplateListView.as_view(), name="templates"),
    path("templates/<str:key>/", views.TemplateEditView.as_view(), name="template_edit"),
    path("templates/<str:key>/reset/", views.TemplateResetView.as_view(), name="template_reset"),
]

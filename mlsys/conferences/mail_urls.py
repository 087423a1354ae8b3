"""Chairs' email pages under /c/<conference>/mail/ (namespace "mail"): the template editor and
the outbox. They live with conferences, which mail must not import; the templates and the
outbox stay in mlsys.mail."""

from django.urls import path

from mlsys.conferences.views import mail as views
from mlsys.conferences.views import outbox

app_name = "mail"
urlpatterns = [
    path("templates/", views.TemplateListView.as_view(), name="templates"),
    path("templates/<str:key>/", views.TemplateEditView.as_view(), name="template_edit"),
    path("templates/<str:key>/reset/", views.TemplateResetView.as_view(), name="template_reset"),
    path("outbox/", outbox.OutboxView.as_view(), name="outbox"),
    path("outbox/<int:pk>/resend/", outbox.ResendView.as_view(), name="resend"),
    path("outbox/resend-failed/", outbox.ResendFailedView.as_view(), name="resend_failed"),
]

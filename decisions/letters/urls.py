from django.urls import path

from decisions.letters import views

urlpatterns = [
    path("letters/", views.LettersView.as_view(), name="letters"),
    path("letters/zip-status/", views.ArchiveStatusView.as_view(), name="letters_archive"),
    path("letters/<int:pk>/", views.LetterPreviewView.as_view(), name="letter_preview"),
    path(
        "letters/<str:action>/",
        views.LetterActionView.as_view(),
        name="letters_action",
    ),
    path("papers/<int:number>/letter.pdf", views.LetterPdfView.as_view(), name="letter_pdf"),
]

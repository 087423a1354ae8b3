"""Reviewing pages. Each area has its own url module (so they can grow independently); all
share the "reviews" namespace under /c/<conference>/reviews/."""

from reviews import (
    urls_affinity,
    urls_assignment,
    urls_forms,
    urls_meta,
    urls_paper,
    urls_pc,
    urls_response,
    urls_review,
)

app_name = "reviews"
urlpatterns = [
    *urls_pc.urlpatterns,
    *urls_affinity.urlpatterns,
    *urls_assignment.urlpatterns,
    *urls_forms.urlpatterns,
    *urls_review.urlpatterns,
    *urls_paper.urlpatterns,
    *urls_response.urlpatterns,
    *urls_meta.urlpatterns,
]

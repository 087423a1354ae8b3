"""Reviewing pages. Each workflow package has its own url module; all share the "reviews"
namespace under /c/<conference>/reviews/ (the order below is the order paths are tried)."""

from reviews import (
    urls_affinity,
    urls_assignment,
    urls_forms,
    urls_meta,
    urls_paper,
    urls_response,
    urls_review,
)
from reviews.bidding import urls as bidding
from reviews.profile import urls as profile

app_name = "reviews"
urlpatterns = [
    *profile.urlpatterns,
    *bidding.urlpatterns,
    *urls_affinity.urlpatterns,
    *urls_assignment.urlpatterns,
    *urls_forms.urlpatterns,
    *urls_review.urlpatterns,
    *urls_paper.urlpatterns,
    *urls_response.urlpatterns,
    *urls_meta.urlpatterns,
]

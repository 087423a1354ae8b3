"""Reviewing pages. Each workflow package has its own url module; all share the "reviews"
namespace under /c/<conference>/reviews/ (the order below is the order paths are tried)."""

from reviews.affinity import urls as affinity
from reviews.assignment import urls as assignment
from reviews.bidding import urls as bidding
from reviews.discussion import urls as discussion
from reviews.external import urls as external
from reviews.meta import urls as meta
from reviews.profile import urls as profile
from reviews.progress import urls as progress
from reviews.response import urls as response
from reviews.review_forms import urls as review_forms
from reviews.reviewing import urls as reviewing

app_name = "reviews"
urlpatterns = [
    *profile.urlpatterns,
    *bidding.urlpatterns,
    *affinity.urlpatterns,
    *assignment.urlpatterns,
    *review_forms.urlpatterns,
    *reviewing.urlpatterns,
    *external.urlpatterns,
    *discussion.urlpatterns,
    *response.urlpatterns,
    *meta.urlpatterns,
    *progress.urlpatterns,
]

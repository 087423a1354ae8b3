"""Reviewing pages: the PC member's side (profile, bidding, assigned papers) and the chairs'
side (affinities, assignment proposals)."""

from reviews.urls_affinity import urlpatterns as affinity_patterns
from reviews.urls_assignment import urlpatterns as assignment_patterns
from reviews.urls_pc import urlpatterns as pc_patterns

app_name = "reviews"
urlpatterns = [*pc_patterns, *affinity_patterns, *assignment_patterns]

"""Submission pages: the author side (urls_author) and the chairs' side (urls_chair)."""

from submissions.urls_author import urlpatterns as author_patterns
from submissions.urls_chair import urlpatterns as chair_patterns
from submissions.urls_extra_fields import urlpatterns as extra_field_patterns

app_name = "submissions"
urlpatterns = [*author_patterns, *chair_patterns, *extra_field_patterns]

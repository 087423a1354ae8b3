"""The decisions pages (namespace ``decisions``); each workflow package adds its own routes."""

from decisions.letters.urls import urlpatterns as letter_patterns
from decisions.release.urls import urlpatterns as release_patterns

app_name = "decisions"
urlpatterns: list = [*release_patterns, *letter_patterns]

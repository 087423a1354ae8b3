"""The decisions pages (namespace ``decisions``); each workflow package adds its own routes."""

from decisions.proceedings import urls as proceedings

app_name = "decisions"
urlpatterns: list = [*proceedings.urlpatterns]

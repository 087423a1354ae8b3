"""The decisions pages (namespace ``decisions``); each workflow package adds its own routes."""

app_name = "decisions"
urlpatterns: list = []

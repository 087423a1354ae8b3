app_name = "submissions"
urlpatterns: list = []

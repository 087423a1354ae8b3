app_name = "artifacts"
urlpatterns: list = []

from django.urls import path
from rest_framework.routers import SimpleRouter

from mlsys.accounts.api import views

router = SimpleRouter()
router.register("me/tokens", views.TokenViewSet, basename="api_me_token")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api_me"),
    *router.urls,
]

"""The decisions API under /api/v1/conferences/<slug>/ (global url names api-*)."""

from rest_framework.routers import SimpleRouter

from decisions.proceedings.api import ProceedingsBuildViewSet, ProceedingsViewSet

router = SimpleRouter()
router.register("proceedings/builds", ProceedingsBuildViewSet, basename="api-proceedings-build")
router.register("proceedings", ProceedingsViewSet, basename="api-proceedings")

urlpatterns: list = [*router.urls]

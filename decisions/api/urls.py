"""The decisions API under /api/v1/conferences/<slug>/."""

urlpatterns: list = []

"""What one workflow package of artifacts tells another without importing it."""

from django.dispatch import Signal

#: Sent (with ``artifact`` and ``actor``) after an artifact's badges were published, inside the
#: transaction of the move. artifacts.badges stamps the camera-ready after commit.
badges_published = Signal()

"""What the decisions app tells the apps above it (artifacts) without importing them."""

from django.dispatch import Signal

#: Sent once per release, after the papers' transactions committed, with ``conference``,
#: ``submissions`` (the papers released now, accepted and rejected) and ``actor``.
decisions_released = Signal()

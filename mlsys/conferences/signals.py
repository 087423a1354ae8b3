"""Signals other apps listen to, so the platform never imports the domain apps."""

from django.dispatch import Signal

#: Sent (with ``conference``) after a committee membership is created, changed or removed,
#: inside the transaction of the change. submissions recomputes conflicts on it.
committee_changed = Signal()

"""Signals other apps listen to, so the platform never imports the domain apps."""

from django.dispatch import Signal

#: Sent (with ``conference``) after a committee membership is created, changed or removed,
#: inside the transaction of the change. submissions recomputes conflicts on it.
committee_changed = Signal()

#: Sent (with ``track``, ``old`` and ``new`` anonymity values) when a track's anonymity rule
#: changes, inside the transaction of the change. submissions re-checks the track's papers after
#: commit (an anonymous track needs anonymity findings and reviewers' copies).
track_anonymity_changed = Signal()

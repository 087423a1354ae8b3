"""Signals other apps listen to, so accounts never imports the domain apps."""

from django.dispatch import Signal

#: Sent (with ``user``) after a user's affiliation, affiliation history or collaborators
#: change, inside the transaction of the change. submissions recomputes conflicts on it.
conflict_profile_changed = Signal()

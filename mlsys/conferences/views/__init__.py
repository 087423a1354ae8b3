"""Conference pages: the public landing page, chair setup pages and the committee."""

from mlsys.conferences.views.committee import (
    CommitteeView,
    MemberEditView,
    MemberRemoveView,
)
from mlsys.conferences.views.pages import ConferenceDetailView
from mlsys.conferences.views.setup import (
    DeadlinesView,
    PhasesView,
    SettingsView,
    TopicBulkCreateView,
    TopicCreateView,
    TopicDeleteView,
    TopicEditView,
    TopicListView,
    TrackCreateView,
    TrackDeleteView,
    TrackEditView,
    TrackListView,
)

__all__ = [
    "CommitteeView",
    "ConferenceDetailView",
    "DeadlinesView",
    "MemberEditView",
    "MemberRemoveView",
    "PhasesView",
    "SettingsView",
    "TopicBulkCreateView",
    "TopicCreateView",
    "TopicDeleteView",
    "TopicEditView",
    "TopicListView",
    "TrackCreateView",
    "TrackDeleteView",
    "TrackEditView",
    "TrackListView",
]

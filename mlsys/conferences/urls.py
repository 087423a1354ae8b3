from django.urls import path

from mlsys.conferences import views
from mlsys.conferences.views import invitations, returning

app_name = "conferences"
urlpatterns = [
    path("", views.ConferenceDetailView.as_view(), name="detail"),
    path("settings/", views.SettingsView.as_view(), name="settings"),
    path("tracks/", views.TrackListView.as_view(), name="tracks"),
    path("tracks/new/", views.TrackCreateView.as_view(), name="track_create"),
    path("tracks/<int:pk>/", views.TrackEditView.as_view(), name="track_edit"),
    path("tracks/<int:pk>/delete/", views.TrackDeleteView.as_view(), name="track_delete"),
    path("topics/", views.TopicListView.as_view(), name="topics"),
    path("topics/add/", views.TopicCreateView.as_view(), name="topic_create"),
    path("topics/bulk/", views.TopicBulkCreateView.as_view(), name="topic_bulk_create"),
    path("topics/<int:pk>/", views.TopicEditView.as_view(), name="topic_edit"),
    path("topics/<int:pk>/delete/", views.TopicDeleteView.as_view(), name="topic_delete"),
    path("deadlines/", views.DeadlinesView.as_view(), name="deadlines"),
    path("phases/", views.PhasesView.as_view(), name="phases"),
    path("committee/", views.CommitteeView.as_view(), name="committee"),
    path("committee/<int:pk>/", views.MemberEditView.as_view(), name="member_edit"),
    path("committee/<int:pk>/remove/", views.MemberRemoveView.as_view(), name="member_remove"),
    path("committee/<int:pk>/resend/", invitations.ResendView.as_view(), name="member_resend"),
    path("committee/invite/", invitations.InviteView.as_view(), name="committee_invite"),
    path("committee/import/", invitations.ImportView.as_view(), name="committee_import"),
    path("committee/from/", returning.ReturningPickView.as_view(), name="committee_returning"),
    path(
        "committee/from/<slug:source>/",
        returning.ReturningInviteView.as_view(),
        name="committee_returning_invite",
    ),
    path("committee/remind/", invitations.RemindAllView.as_view(), name="committee_remind"),
    path("invitation/<str:token>/", invitations.InvitationView.as_view(), name="invitation"),
    path(
        "invitation/<str:token>/accept/",
        invitations.AcceptInvitationView.as_view(),
        name="invitation_accept",
    ),
    path(
        "invitation/<str:token>/decline/",
        invitations.DeclineInvitationView.as_view(),
        name="invitation_decline",
    ),
]

from django.urls import path

from mlsys.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.ProfileView.as_view(), name="profile"),
    path("affiliations/", views.AffiliationAddView.as_view(), name="affiliation_add"),
    path("affiliations/<int:pk>/", views.AffiliationEditView.as_view(), name="affiliation_edit"),
    path(
        "affiliations/<int:pk>/remove/",
        views.AffiliationRemoveView.as_view(),
        name="affiliation_remove",
    ),
    path("collaborators/", views.CollaboratorAddView.as_view(), name="collaborator_add"),
    path("collaborators/<int:pk>/", views.CollaboratorEditView.as_view(), name="collaborator_edit"),
    path(
        "collaborators/<int:pk>/remove/",
        views.CollaboratorRemoveView.as_view(),
        name="collaborator_remove",
    ),
    path("tokens/", views.TokenCreateView.as_view(), name="token_create"),
    path("tokens/<int:pk>/revoke/", views.TokenRevokeView.as_view(), name="token_revoke"),
]

"""What an operator needs of conferences in the Django admin: conferences, tracks and committee
memberships. Writes go through the same services as the chairs' pages (validated, audited); a
new conference is made on the "New conference" page, where its first chair is invited and a
previous conference's setup can be copied."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect

from mlsys.conferences import services
from mlsys.conferences.models import CommitteeMembership, Conference, Deadline, Track


class ServiceAdmin(admin.ModelAdmin):
    """``save_model`` calls a service; a refusal (ValidationError) rolls the admin's transaction
    back and shows the service's message on the same page."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(request.get_full_path())


class TrackInline(admin.TabularInline):
    model = Track
    fields = ["name", "slug", "anonymity", "page_limit", "reviewers_per_paper"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class DeadlineInline(admin.TabularInline):
    model = Deadline
    fields = ["kind", "at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Conference)
class ConferenceAdmin(ServiceAdmin):
    list_display = ["name", "slug", "timezone", "is_public", "created_at"]
    search_fields = ["name", "slug", "short_name"]
    fields = ["slug", *services.CONFERENCE_FIELDS]
    readonly_fields = ["slug"]
    inlines = [TrackInline, DeadlineInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def add_view(self, request, form_url="", extra_context=None):
        # Creating a conference also invites its chair and may copy a setup: one page does it.
        return redirect("conference_create")

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting a conference takes its papers, reviews and audit log with it.
        return False

    def save_model(self, request, obj, form, change) -> None:
        data = {name: form.cleaned_data[name] for name in services.CONFERENCE_FIELDS}
        services.update_conference(conference=obj, data=data, actor=request.user)


@admin.register(Track)
class TrackAdmin(ServiceAdmin):
    list_display = ["name", "conference", "anonymity", "page_limit", "reviewers_per_paper"]
    list_select_related = ["conference"]
    list_filter = ["anonymity"]
    search_fields = ["name", "slug", "conference__slug"]
    fields = ["conference", *services.TRACK_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        return ["conference"] if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        # The chairs' tracks page deletes a track, and refuses while it has papers.
        return False

    def save_model(self, request, obj, form, change) -> None:
        data = {name: form.cleaned_data[name] for name in services.TRACK_FIELDS}
        if change:
            saved = services.update_track(track=obj, data=data, actor=request.user)
        else:
            saved = services.create_track(conference=obj.conference, data=data, actor=request.user)
        obj.pk = saved.pk


@admin.register(CommitteeMembership)
class CommitteeMembershipAdmin(ServiceAdmin):
    list_display = ["user", "conference", "role", "side", "status", "max_load"]
    list_select_related = ["user", "conference"]
    list_filter = ["role", "status", "side"]
    search_fields = ["user__email", "user__name", "conference__slug"]
    autocomplete_fields = ["user"]
    fields = ["conference", "user", *services.MEMBERSHIP_FIELDS]

    def get_readonly_fields(self, request, obj=None):
        return ["conference", "user"] if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        # Removal keeps the last program chair: the committee page does it.
        return False

    def save_model(self, request, obj, form, change) -> None:
        data = {name: form.cleaned_data[name] for name in services.MEMBERSHIP_FIELDS}
        if change:
            saved = services.update_membership(membership=obj, data=data, actor=request.user)
        else:
            saved = services.add_member(
                conference=obj.conference, email=obj.user.email, data=data, actor=request.user
            )
        obj.pk = saved.pk

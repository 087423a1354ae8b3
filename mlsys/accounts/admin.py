from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models

from mlsys.accounts import services
from mlsys.accounts.models import AffiliationHistory, ApiToken, Collaborator, User

# /admin/login/ is the site's login page (allauth), with its lockout after repeated failures;
# Django's own admin login form would let anyone guess passwords without limit.
admin.site.login = secure_admin_login(admin.site.login)


class AffiliationInline(admin.TabularInline):
    model = AffiliationHistory
    extra = 0


class CollaboratorInline(admin.TabularInline):
    model = Collaborator
    extra = 0


class ApiTokenInline(admin.TabularInline):
    model = ApiToken
    extra = 0
    fields = ["name", "key_prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "affiliation", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "name", "affiliation", "orcid"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["name", "affiliation", "orcid", "homepage"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    inlines = [AffiliationInline, CollaboratorInline, ApiTokenInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def user_change_password(self, request, id, form_url=""):
        """A password set here revokes the person's API tokens, like a change or reset on the
        site does (the form redirects only once the new password is saved)."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.filter(pk=id).first()
            if user is not None:
                services.revoke_all_api_tokens(
                    user=user, reason="password changed by an administrator"
                )
        return response

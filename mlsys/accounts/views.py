"""The profile page and the small edit pages it links to.

Every write is a POST to its own URL; on success it redirects back to the profile (so a reload
never repeats it), on bad input it renders the profile again with the bound form and its errors.
The one exception is token creation, which renders directly: the plain key is shown exactly once
and is never stored anywhere, not even in the session.
"""

import copy

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views import View

from mlsys.accounts import queries, services
from mlsys.accounts.forms import AffiliationForm, CollaboratorForm, ProfileForm, TokenForm
from mlsys.accounts.models import AffiliationHistory, ApiToken, Collaborator


def _profile_url() -> str:
    return reverse("accounts:profile")


def render_profile(request: HttpRequest, **overrides) -> HttpResponse:
    """The profile page; ``overrides`` replace the blank forms (bound forms with errors) or add
    ``new_token``/``new_token_key`` right after creation."""
    user = request.user
    context = {
        "profile_form": ProfileForm(instance=copy.copy(user)),
        "affiliation_form": AffiliationForm(),
        "collaborator_form": CollaboratorForm(),
        "token_form": TokenForm(),
        "affiliations": queries.affiliations_of(user),
        "collaborators": queries.collaborators_of(user),
        "tokens": queries.active_tokens_of(user),
        "email_addresses": queries.email_addresses_of(user),
        **overrides,
    }
    response = render(request, "accounts/profile.html", context)
    add_never_cache_headers(response)
    return response


def _apply_model_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or on the form if unknown)."""
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class ProfileView(LoginRequiredMixin, View):
    """GET shows everything a person entered about themselves; POST saves the main fields."""

    def get(self, request):
        return render_profile(request)

    def post(self, request):
        form = ProfileForm(request.POST, instance=copy.copy(request.user))
        if form.is_valid():
            try:
                services.update_profile(user=request.user, data=form.cleaned_data)
            except ValidationError as exc:
                _apply_model_errors(form, exc)
            else:
                messages.success(request, "Your profile is saved.")
                return HttpResponseRedirect(_profile_url())
        return render_profile(request, profile_form=form)


class AffiliationAddView(LoginRequiredMixin, View):
    def post(self, request):
        form = AffiliationForm(request.POST)
        if form.is_valid():
            try:
                services.add_affiliation(user=request.user, data=form.cleaned_data)
            except ValidationError as exc:
                _apply_model_errors(form, exc)
            else:
                messages.success(request, "Affiliation added.")
                return HttpResponseRedirect(_profile_url() + "#affiliations")
        return render_profile(request, affiliation_form=form)


class AffiliationEditView(LoginRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.item = get_object_or_404(AffiliationHistory, pk=kwargs["pk"], user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self._render(AffiliationForm(instance=copy.copy(self.item)))

    def post(self, request, pk):
        form = AffiliationForm(request.POST, instance=copy.copy(self.item))
        if form.is_valid():
            try:
                services.update_affiliation(
                    user=request.user, affiliation=self.item, data=form.cleaned_data
                )
            except ValidationError as exc:
                _apply_model_errors(form, exc)
            else:
                messages.success(request, "Affiliation saved.")
                return HttpResponseRedirect(_profile_url() + "#affiliations")
        return self._render(form)

    def _render(self, form) -> HttpResponse:
        return render(
            self.request,
            "accounts/affiliation_form.html",
            {"form": form, "item": self.item},
        )


class AffiliationRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        item = get_object_or_404(AffiliationHistory, pk=pk, user=request.user)
        services.remove_affiliation(user=request.user, affiliation=item)
        messages.success(request, f"Removed {item.institution} from your affiliations.")
        return HttpResponseRedirect(_profile_url() + "#affiliations")


class CollaboratorAddView(LoginRequiredMixin, View):
    def post(self, request):
        form = CollaboratorForm(request.POST)
        if form.is_valid():
            try:
                services.add_collaborator(user=request.user, data=form.cleaned_data)
            except ValidationError as exc:
                _apply_model_errors(form, exc)
            else:
                messages.success(request, "Collaborator added.")
                return HttpResponseRedirect(_profile_url() + "#collaborators")
        return render_profile(request, collaborator_form=form)


class CollaboratorEditView(LoginRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.item = get_object_or_404(Collaborator, pk=kwargs["pk"], user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self._render(CollaboratorForm(instance=copy.copy(self.item)))

    def post(self, request, pk):
        form = CollaboratorForm(request.POST, instance=copy.copy(self.item))
        if form.is_valid():
            try:
                services.update_collaborator(
                    user=request.user, collaborator=self.item, data=form.cleaned_data
                )
            except ValidationError as exc:
                _apply_model_errors(form, exc)
            else:
                messages.success(request, "Collaborator saved.")
                return HttpResponseRedirect(_profile_url() + "#collaborators")
        return self._render(form)

    def _render(self, form) -> HttpResponse:
        return render(
            self.request,
            "accounts/collaborator_form.html",
            {"form": form, "item": self.item},
        )


class CollaboratorRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk):
        item = get_object_or_404(Collaborator, pk=pk, user=request.user)
        services.remove_collaborator(user=request.user, collaborator=item)
        messages.success(request, f"Removed {item.name} from your collaborators.")
        return HttpResponseRedirect(_profile_url() + "#collaborators")


class TokenCreateView(LoginRequiredMixin, View):
    def post(self, request):
        form = TokenForm(request.POST)
        if not form.is_valid():
            return render_profile(request, token_form=form)
        token, key = services.create_api_token(user=request.user, name=form.cleaned_data["name"])
        return render_profile(request, new_token=token, new_token_key=key)


class TokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
        services.revoke_api_token(user=request.user, token=token)
        messages.success(request, f"Token “{token.name}” revoked. It no longer works.")
        return HttpResponseRedirect(_profile_url() + "#tokens")

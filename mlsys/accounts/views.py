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
from django.db.models import Model
from django.forms import ModelForm
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


class _ProfileListMixin(LoginRequiredMixin):
    """One list on the profile page (affiliations, collaborators). A subclass names the model,
    form, edit template, section anchor, messages and the three services (``add``, ``update``,
    ``remove``); the add, edit and remove views below are built from it."""

    model: type[Model]
    form_class: type[ModelForm]
    form_name: str  # the add form's name in the profile page's context
    anchor: str  # the list's section on the profile page
    template_name: str  # the edit page
    added_message: str
    saved_message: str
    removed_message: str  # formatted with ``item``

    def list_url(self) -> str:
        return f"{_profile_url()}#{self.anchor}"


class _AddView(_ProfileListMixin, View):
    def post(self, request):
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                self.add(form.cleaned_data)
            except ValidationError as exc:
                _apply_model_errors(form, exc)
            else:
                messages.success(request, self.added_message)
                return HttpResponseRedirect(self.list_url())
        return render_profile(request, **{self.form_name: form})


class _EditView(_ProfileListMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.item = get_object_or_404(self.model, pk=kwargs["pk"], user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return self._render(self.form_class(instance=copy.copy(self.item)))

    def post(self, request, pk):
        form = self.form_class(request.POST, instance=copy.copy(self.item))
        if form.is_valid():
            try:
                self.update(self.item, form.cleaned_data)
            except ValidationError as exc:
                _apply_model_errors(form, exc)
            else:
                messages.success(request, self.saved_message)
                return HttpResponseRedirect(self.list_url())
        return self._render(form)

    def _render(self, form) -> HttpResponse:
        return render(self.request, self.template_name, {"form": form, "item": self.item})


class _RemoveView(_ProfileListMixin, View):
    def post(self, request, pk):
        item = get_object_or_404(self.model, pk=pk, user=request.user)
        self.remove(item)
        messages.success(request, self.removed_message.format(item=item))
        return HttpResponseRedirect(self.list_url())


class _Affiliations(_ProfileListMixin):
    model = AffiliationHistory
    form_class = AffiliationForm
    form_name = "affiliation_form"
    anchor = "affiliations"
    template_name = "accounts/affiliation_form.html"
    added_message = "Affiliation added."
    saved_message = "Affiliation saved."
    removed_message = "Removed {item.institution} from your affiliations."

    def add(self, data) -> None:
        services.add_affiliation(user=self.request.user, data=data)

    def update(self, item, data) -> None:
        services.update_affiliation(user=self.request.user, affiliation=item, data=data)

    def remove(self, item) -> None:
        services.remove_affiliation(user=self.request.user, affiliation=item)


class AffiliationAddView(_Affiliations, _AddView):
    pass


class AffiliationEditView(_Affiliations, _EditView):
    pass


class AffiliationRemoveView(_Affiliations, _RemoveView):
    pass


class _Collaborators(_ProfileListMixin):
    model = Collaborator
    form_class = CollaboratorForm
    form_name = "collaborator_form"
    anchor = "collaborators"
    template_name = "accounts/collaborator_form.html"
    added_message = "Collaborator added."
    saved_message = "Collaborator saved."
    removed_message = "Removed {item.name} from your collaborators."

    def add(self, data) -> None:
        services.add_collaborator(user=self.request.user, data=data)

    def update(self, item, data) -> None:
        services.update_collaborator(user=self.request.user, collaborator=item, data=data)

    def remove(self, item) -> None:
        services.remove_collaborator(user=self.request.user, collaborator=item)


class CollaboratorAddView(_Collaborators, _AddView):
    pass


class CollaboratorEditView(_Collaborators, _EditView):
    pass


class CollaboratorRemoveView(_Collaborators, _RemoveView):
    pass


class TokenCreateView(LoginRequiredMixin, View):
    def post(self, request):
        form = TokenForm(request.POST)
        if not form.is_valid():
            return render_profile(request, token_form=form)
        try:
            token, key = services.create_api_token(
                user=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at
            )
        except ValidationError as exc:
            _apply_model_errors(form, exc)
            return render_profile(request, token_form=form)
        return render_profile(request, new_token=token, new_token_key=key)


class TokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
        services.revoke_api_token(user=request.user, token=token)
        messages.success(request, f"Token “{token.name}” revoked. It no longer works.")
        return HttpResponseRedirect(_profile_url() + "#tokens")

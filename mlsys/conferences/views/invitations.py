"""Invitation pages: the chairs' invite / CSV import / resend / remind actions, and the public
accept and decline pages reached from the invitation email.

The public pages are addressed by conference and token (the token is the secret); a token that
does not belong to that conference answers 404. Declining needs no account; accepting needs the
invited account (or one owning the invited address), or, for an account the invitation created
and nobody has used, a first password chosen on the accept page.
"""

from abc import ABC, abstractmethod

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View
from django.views.generic import FormView

from mlsys.conferences import archive, invitation_csv, invitations, queries
from mlsys.conferences.invitation_forms import (
    ClaimAccountForm,
    ConfirmImportForm,
    DeclineForm,
    ImportForm,
    InviteForm,
)
from mlsys.conferences.mixins import ChairMixin
from mlsys.conferences.models import CommitteeMembership
from mlsys.conferences.views.base import ServiceFormMixin

# --- Chairs -----------------------------------------------------------------------------------


class InviteView(ChairMixin, ServiceFormMixin, FormView):
    template_name = "conferences/invitations/invite.html"
    form_class = InviteForm
    success_url_name = "conferences:committee"

    def perform(self, form) -> None:
        membership = invitations.invite_member(
            conference=self.conference, invitee=form.invitee(), actor=self.request.user
        )
        self.success_message = (
            f"Invited {membership.user} ({membership.user.email}) as "
            f"{membership.get_role_display()}; the invitation email is on its way."
        )


class CsvImportFlow(View, ABC):
    """Upload or paste a CSV → preview with every row and problem → confirm → import all.

    One flow for every committee that invites from a CSV: the program chairs' (ImportView) and
    the AE chairs' (artifacts.committee.views.ImportView). A subclass says how a text is checked
    (``check``) and imported (``perform_import``), where the committee page is
    (``committee_url_name``), its own URL (``import_url_name``) and the page's wording
    (``extra_context``: ``title``, ``nav_template``, ``help_template``, ``show_side``,
    ``default_role``)."""

    template_name = "conferences/invitations/import.html"
    preview_template = "conferences/invitations/preview.html"
    committee_url_name = "conferences:committee"
    import_url_name = "conferences:committee_import"
    extra_context: dict = {
        "title": "Invite from CSV",
        "nav_template": "conferences/_chair_nav.html",
        "help_template": "conferences/invitations/_csv_help.html",
        "show_side": True,
        "default_role": "pc_member",
    }

    @abstractmethod
    def check(self, text: str):
        """The report of ``text`` (invitation_csv.Report): every row with its problems."""

    @abstractmethod
    def perform_import(self, text: str) -> list:
        """Invite every row of ``text``; ValidationError if it no longer checks out."""

    def get(self, request, *args, **kwargs):
        return self._form_page(ImportForm())

    def post(self, request, *args, **kwargs):
        if "csv_text" in request.POST:
            return self._confirm(ConfirmImportForm(request.POST))
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._form_page(form, status=400)
        return self._preview(form.cleaned_data["csv_text"])

    def _context(self, **values) -> dict:
        return {
            **self.extra_context,
            "conference": self.conference,
            "columns": invitation_csv.COLUMNS,
            "import_url": reverse(
                self.import_url_name, kwargs={"conference": self.conference.slug}
            ),
            "committee_url": reverse(
                self.committee_url_name, kwargs={"conference": self.conference.slug}
            ),
            **values,
        }

    def _form_page(self, form, status=200):
        return render(self.request, self.template_name, self._context(form=form), status=status)

    def _preview(self, text: str, status: int | None = None):
        report = self.check(text)
        context = self._context(
            report=report,
            confirm_form=ConfirmImportForm(initial={"csv_text": text}) if report.ok else None,
            form=ImportForm(initial={"text": text}),
        )
        return render(
            self.request,
            self.preview_template,
            context,
            status=status or (200 if report.ok else 400),
        )

    def _confirm(self, form):
        if not form.is_valid():
            return self._form_page(ImportForm(), status=400)
        text = form.cleaned_data["csv_text"]
        try:
            created = self.perform_import(text)
        except ValidationError:
            # Something changed since the preview (e.g. someone else invited a person): show
            # the fresh report; nothing was written.
            return self._preview(text, status=409)
        messages.success(
            self.request,
            f"Invited {len(created)} {'person' if len(created) == 1 else 'people'}; "
            "the invitation emails are on their way.",
        )
        return redirect(self.committee_url_name, conference=self.conference.slug)


class ImportView(ChairMixin, CsvImportFlow):
    """The program chairs' CSV import (any committee role)."""

    def check(self, text: str):
        return invitation_csv.parse(text, conference=self.conference)

    def perform_import(self, text: str) -> list:
        return invitations.import_invitations(
            conference=self.conference, text=text, actor=self.request.user
        )


class ResendView(ChairMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        membership = get_object_or_404(queries.committee(self.conference), pk=kwargs["pk"])
        try:
            invitations.resend_invitation(membership=membership, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Sent the invitation to {membership.user.email} again.")
        return redirect("conferences:committee", conference=self.conference.slug)


class RemindAllView(ChairMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        count = invitations.remind_pending(conference=self.conference, actor=request.user)
        days = invitations.REMINDER_INTERVAL.days
        if count:
            messages.success(
                request,
                f"Reminded {count} pending {'invitee' if count == 1 else 'invitees'}. "
                f"Nobody is reminded more than once every {days} days.",
            )
        else:
            messages.info(
                request,
                f"Nobody to remind: every pending invitation was sent or reminded within the "
                f"last {days} days.",
            )
        return redirect("conferences:committee", conference=self.conference.slug)


# --- Invitees (public, by token) --------------------------------------------------------------


class InvitationMixin:
    template_name = "conferences/invitations/respond.html"

    def dispatch(self, request, *args, **kwargs):
        self.membership = get_object_or_404(
            CommitteeMembership.objects.select_related("conference", "user", "invited_by"),
            conference__slug=kwargs["conference"],
            invitation_token=kwargs["token"],
        )
        self.conference = self.membership.conference
        request.conference = self.conference
        # These links are outside ConferenceMixin: the read-only rule of an archived conference
        # is checked here (the services refuse as well).
        refused = archive.refusal(request.viewer, self.conference, request.method)
        if refused:
            context = {"conference": self.conference, "message": refused}
            return TemplateResponse(request, "conferences/archived.html", context, status=403)
        return super().dispatch(request, *args, **kwargs)

    def page(self, status: int = 200, **extra):
        membership = self.membership
        user = self.request.user
        answered = invitations.answered_error(membership)
        owner = invitations.owns_invitation(user, membership)
        unclaimed = invitations.is_unclaimed(membership.user)
        context = {
            "membership": membership,
            "conference": self.conference,
            # An archived conference's invitation can no longer be answered: say so instead of
            # offering buttons that would be refused.
            "answered": archive.MESSAGE
            if self.conference.archived_at is not None
            else (answered.messages[0] if answered else ""),
            "is_owner": owner,
            "wrong_user": user.is_authenticated and not owner,
            "unclaimed": unclaimed and not user.is_authenticated,
            "accept_url": reverse("conferences:invitation_accept", kwargs=self.kwargs),
            "decline_url": reverse("conferences:invitation_decline", kwargs=self.kwargs),
            "login_url": _login_url(reverse("conferences:invitation_accept", kwargs=self.kwargs)),
            "invited_email": membership.user.email,
            **extra,
        }
        context.setdefault(
            "claim_form", ClaimAccountForm(membership.user) if context["unclaimed"] else None
        )
        context.setdefault("decline_form", DeclineForm())
        return render(self.request, self.template_name, context, status=status)


def _login_url(next_url: str) -> str:
    return redirect_to_login(next_url).url


class InvitationView(InvitationMixin, View):
    def get(self, request, *args, **kwargs):
        return self.page()


class AcceptInvitationView(InvitationMixin, View):
    def get(self, request, *args, **kwargs):
        return self.page(focus="accept")

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            try:
                invitations.accept_invitation(membership=self.membership, user=request.viewer)
            except ValidationError as exc:
                status = 403 if exc.code == "wrong_user" else 409
                return self.page(status=status, focus="accept", error=exc.messages[0])
            return self._welcome()
        if not invitations.is_unclaimed(self.membership.user):
            return redirect_to_login(request.get_full_path())
        form = ClaimAccountForm(self.membership.user, request.POST)
        if not form.is_valid():
            return self.page(status=400, focus="accept", claim_form=form)
        try:
            accepted = invitations.claim_and_accept(
                membership=self.membership, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            return self.page(status=409, focus="accept", error=exc.messages[0])
        # The user with the new password: a session bound to the old (unusable) hash would be
        # dropped on the next request.
        login(request, accepted.user, backend="django.contrib.auth.backends.ModelBackend")
        return self._welcome()

    def _welcome(self):
        messages.success(
            self.request,
            f"Welcome to the {self.conference} committee as "
            f"{self.membership.get_role_display()}. Please fill in your profile and topics.",
        )
        return redirect(self.conference.get_absolute_url())


class DeclineInvitationView(InvitationMixin, View):
    def get(self, request, *args, **kwargs):
        return self.page(focus="decline")

    def post(self, request, *args, **kwargs):
        form = DeclineForm(request.POST)
        if not form.is_valid():
            return self.page(status=400, focus="decline", decline_form=form)
        try:
            invitations.decline_invitation(
                membership=self.membership,
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            return self.page(status=409, focus="decline", error=exc.messages[0])
        messages.success(request, "Thank you for letting us know. You have declined.")
        return redirect("conferences:invitation", **self.kwargs)

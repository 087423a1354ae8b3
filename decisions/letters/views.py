"""The chairs' decision letters page (decisions:letters): prepare the letters of released
decisions (held in the outbox), read each one as its recipient will, send the held batch or
discard it to prepare again after editing the templates, and build a ZIP of the letter PDFs.
The paper's authors (after release) and unconflicted chairs download a letter PDF
(decisions:letter_pdf). Anyone else gets 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from decisions.letters import emails, queries, services
from decisions.models import LetterArchive
from mlsys.conferences.mixins import ConferenceMixin
from mlsys.core import files
from mlsys.mail.models import OutboundEmail
from reviews.rules import conflicted_submission_ids

PAGE_SIZE = 100


class LettersMixin(ConferenceMixin):
    permission_required = "decisions.manage_decisions"

    def page_url(self) -> str:
        return reverse("decisions:letters", kwargs={"conference": self.conference.slug})


def latest_archive(conference, viewer):
    return LetterArchive.objects.filter(conference=conference, requested_by=viewer.user).first()


class LettersView(LettersMixin, TemplateView):
    template_name = "decisions/letters/page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        viewer = self.request.viewer
        rows = queries.held(self.conference, viewer)
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        archive = latest_archive(self.conference, viewer)
        context.update(
            counts=queries.letter_counts(self.conference, viewer),
            page_obj=page,
            letters=page.object_list,
            archive=archive,
            archive_url=files.url_for("decision-letter-archive", archive, download=True)
            if archive and archive.file
            else None,
            template_keys=[emails.ACCEPT_KEY, emails.REJECT_KEY],
            hidden_papers=bool(conflicted_submission_ids(viewer, self.conference)),
        )
        return context


class LetterActionView(LettersMixin, View):
    """POST: prepare, send or discard the held letters; build the ZIP."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        action = kwargs["action"]
        try:
            if action == "prepare":
                services.request_preparation(conference=self.conference, actor=request.viewer)
                messages.success(
                    request,
                    "Preparing the letters in the background: the held letters below fill in as "
                    "they are written (reload the page). Nothing is sent until you send them.",
                )
            elif action == "send":
                sent = services.send_letters(conference=self.conference, actor=request.viewer)
                messages.success(request, f"Sending {sent} letter{'s' if sent != 1 else ''}.")
            elif action == "discard":
                held = queries.held(self.conference, request.viewer).count()
                if not request.POST.get("confirm") or request.POST.get("expected") != str(held):
                    messages.error(
                        request,
                        "Nothing was discarded: tick the confirmation (the held letters may "
                        f"have changed; {held} are held now).",
                    )
                    return redirect(self.page_url())
                gone = services.discard_letters(conference=self.conference, actor=request.viewer)
                messages.success(
                    request,
                    f"Discarded {gone} held letter{'s' if gone != 1 else ''} (none was sent). "
                    "Edit the templates, then prepare them again.",
                )
            elif action == "archive":
                services.request_archive(conference=self.conference, actor=request.viewer)
                messages.success(request, "Building the ZIP of the letter PDFs.")
            else:
                raise Http404
        except PermissionDenied as error:
            messages.error(request, str(error))
        return redirect(self.page_url())


class ArchiveStatusView(LettersMixin, TemplateView):
    """htmx: the ZIP's progress, polled while it is being built."""

    template_name = "decisions/letters/_archive.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        archive = latest_archive(self.conference, self.request.viewer)
        context.update(
            archive=archive,
            archive_url=files.url_for("decision-letter-archive", archive, download=True)
            if archive and archive.file
            else None,
        )
        return context


class LetterPreviewView(LettersMixin, TemplateView):
    """One prepared letter exactly as its recipient gets it."""

    template_name = "decisions/letters/preview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        letter = get_object_or_404(
            queries.letter_emails(self.conference, self.request.viewer), pk=kwargs["pk"]
        )
        context.update(letter=letter, email=letter.email, Status=OutboundEmail.Status)
        return context


class LetterPdfView(ConferenceMixin, View):
    """A paper's decision letter PDF: its authors after release, unconflicted chairs."""

    def get(self, request, *args, **kwargs):
        submission = get_object_or_404(self.conference.submissions, number=kwargs["number"])
        if not request.viewer.has_perm("decisions.download_letter", submission):
            raise Http404
        letter = services.letter_of(submission)
        if letter is None:
            raise Http404
        return redirect(
            files.url_for("decision-letter", letter, download="download" in request.GET)
        )

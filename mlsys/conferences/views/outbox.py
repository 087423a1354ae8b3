"""The chairs' outbox (mail:outbox): how many of the conference's emails are held, waiting,
retrying after a failed attempt, sending, sent, failed or not sent (demo), each count listing its
emails; by default the failed, held and retrying ones, with their recipients, subject, last
error, attempts and next attempt; and a resend for one failed email or all of them, each
confirmed on a page that lists the emails it touches (mail:resend, mail:resend_failed).

Program chairs only (conferences.manage_mail; anyone else gets 404). Bodies are never shown:
recipients, subject and the server's error are what a chair needs to act on a delivery problem,
and a letter's body tells its outcome (the decision letters page shows letters, with its own
conflict rules). Email about a paper the chair is conflicted with is neither listed nor counted,
since its subject and recipients name the paper and its outcome or reviewers ("Paper #12
accepted", "Invitation to review paper #12"); another chair resends it.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from mlsys.conferences.mixins import ConferenceMixin
from mlsys.core import audit
from mlsys.mail import queries, services
from mlsys.mail.models import OutboundEmail

PAGE_SIZE = 50
#: The "resend all failed" confirmation lists this many emails, then says how many more.
CONFIRM_LISTED = 100


class OutboxMixin(ConferenceMixin):
    permission_required = "conferences.manage_mail"

    def hidden(self) -> frozenset[int]:
        if not hasattr(self, "_hidden"):
            self._hidden = queries.hidden_paper_numbers(self.viewer, self.conference)
        return self._hidden

    def outbox_url(self) -> str:
        return reverse("mail:outbox", kwargs={"conference": self.conference.slug})


class OutboxView(OutboxMixin, TemplateView):
    """The counts per state, each a link listing that state's rows (``?status=retrying``);
    without one (or with an unknown one), the rows needing attention."""

    template_name = "mail/outbox.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hidden = self.hidden()
        state = self.request.GET.get("status")
        if state in queries.STATES:
            rows = queries.in_state(self.conference, state, hidden)
        else:
            state = None
            rows = queries.needing_attention(self.conference, hidden)
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        counts = queries.state_counts(self.conference, hidden)
        labels = {key: label for key, (label, _) in queries.STATES.items()}
        context.update(
            states=[(key, label, counts[key]) for key, label in labels.items()],
            state=state,
            state_label=labels.get(state),
            querystring=urlencode({"status": state}) if state else "",
            page_obj=page,
            emails=[(email, labels[email.state]) for email in page.object_list],
            failed_count=counts["failed"],
            hidden_papers=bool(hidden),
            Status=OutboundEmail.Status,
        )
        return context


class ResendView(OutboxMixin, TemplateView):
    """Resend one failed email: GET asks, POST does it."""

    template_name = "mail/outbox_resend.html"

    def get_email(self) -> OutboundEmail:
        email = (
            queries.needing_attention(self.conference, self.hidden())
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if email is None:
            raise Http404
        return email

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        email = self.get_email()
        context.update(emails=[email], more=0, total=1, single=email)
        return context

    def post(self, request, *args, **kwargs):
        email = self.get_email()
        with transaction.atomic():
            moved = services.resend(OutboundEmail.objects.filter(pk=email.pk))
            if moved:
                audit.record(
                    "mail.resent", actor=request.user, conference=self.conference, note=str(email)
                )
        if moved:
            messages.success(request, f"Sending “{email.subject}” again.")
        else:
            messages.info(request, "That email is not failed any more: nothing to resend.")
        return redirect(self.outbox_url())


class ResendFailedView(OutboxMixin, TemplateView):
    """Resend every failed email of the conference the chair may see: GET asks, POST does it."""

    template_name = "mail/outbox_resend.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = queries.failed(self.conference, self.hidden())
        emails = list(rows[: CONFIRM_LISTED + 1])
        total = len(emails) if len(emails) <= CONFIRM_LISTED else rows.count()
        context.update(emails=emails[:CONFIRM_LISTED], total=total, more=total - CONFIRM_LISTED)
        return context

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            moved = services.resend(queries.failed(self.conference, self.hidden()))
            if moved:
                audit.record(
                    "mail.resent",
                    actor=request.user,
                    conference=self.conference,
                    note=f"{moved} failed email(s)",
                )
        if moved:
            messages.success(
                request, f"Sending {moved} failed email{'s' if moved != 1 else ''} again."
            )
        else:
            messages.info(request, "No failed email to resend.")
        return redirect(self.outbox_url())

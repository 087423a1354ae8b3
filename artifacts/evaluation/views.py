"""The evaluation's writes from the artifact page (each a POST that calls one service; htmx
gets the thread back, a browser without JavaScript is redirected), and the AE chairs'
overview with its filters, CSV export and bulk actions.

Every view resolves the artifact through ``ArtifactMixin`` (404 unless the viewer may see it:
an outsider, an unassigned evaluator, another paper's author, a conflicted AE chair). A
refused action re-renders the page with the service's sentence (403); bad input re-renders it
with the form as typed (400)."""

from __future__ import annotations

from abc import ABC, abstractmethod

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from artifacts import enums
from artifacts.enums import ArtifactStatus as S
from artifacts.evaluation import decide, queries, services
from artifacts.evaluation import page as section
from artifacts.evaluation.forms import (
    DecisionForm,
    EvaluationForm,
    KickCheckForm,
    LeadForm,
    MessageForm,
    ProposalForm,
)
from artifacts.page.views import SECTIONS, ArtifactMixin
from mlsys.conferences.mixins import ConferenceMixin
from mlsys.core import tables


class SectionAction(ArtifactMixin, View, ABC):
    """One POST on the evaluation section: ``act`` calls the service."""

    anchor = "evaluation"

    def post(self, request, *args, **kwargs):
        self.artifact = self.get_artifact()
        try:
            response = self.act(request)
        except PermissionDenied as error:
            messages.error(request, str(error) or "You cannot do this.")
            return self.render_page({}, status=403)
        except ValidationError as error:
            form = getattr(self, "form", None)
            if form is not None:
                _add_errors(form, error)
                return self.render_page(self.bound(), status=400)
            messages.error(request, " ".join(error.messages))
            return self.render_page({}, status=400)
        return response or self.back()

    @abstractmethod
    def act(self, request):
        """Do the action (a service call); a response, or None to go back to the page."""

    def bound(self) -> dict:
        return {}

    def invalid(self):
        raise ValidationError("Some fields are invalid.")

    def back(self):
        url = reverse(
            "artifacts:detail",
            kwargs={"conference": self.conference.slug, "number": self.artifact.submission.number},
        )
        return redirect(f"{url}#{self.anchor}")

    def render_page(self, bound: dict, status: int):
        artifact, viewer = self.artifact, self.viewer
        context = {
            "conference": self.conference,
            "artifact": artifact,
            "paper": artifact.submission,
        }
        for part in SECTIONS:
            context.update(part.context(viewer, artifact))
        context.update(section.context(viewer, artifact, **bound))
        return render(self.request, "artifacts/detail.html", context, status=status)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class MessageView(SectionAction):
    """Post in one thread. htmx gets the thread's block back (with the form's errors)."""

    def act(self, request):
        thread = self.kwargs["thread"]
        if thread not in services.THREAD_PERMS:
            raise Http404
        if not self.viewer.has_perm(services.THREAD_PERMS[thread][0], self.artifact):
            raise Http404
        self.anchor = f"thread-{thread}"
        self.form = MessageForm(request.POST, auto_id=f"{thread}-%s")
        htmx = request.headers.get("HX-Request") == "true"
        posted = False
        if self.form.is_valid():
            try:
                services.post_message(
                    actor=self.viewer,
                    artifact=self.artifact,
                    thread=thread,
                    body=self.form.cleaned_data["body"],
                )
            except ValidationError as error:
                if not htmx:
                    raise
                _add_errors(self.form, error)
            else:
                if not htmx:
                    messages.success(request, "Message posted.")
                    return None
                self.form = MessageForm(auto_id=f"{thread}-%s")
                posted = True
        elif not htmx:
            self.invalid()
        built = section.build(self.viewer, self.artifact, **{f"form_{thread}": self.form})
        block = next(t for t in built.threads if t.key == thread)
        html = render_to_string(
            "artifacts/evaluation/_thread.html",
            {
                "thread": block,
                "artifact": self.artifact,
                "conference": self.conference,
                "posted": posted,
            },
            request=request,
        )
        return HttpResponse(html)

    def bound(self) -> dict:
        return {f"form_{self.kwargs['thread']}": self.form}


class KickCheckView(SectionAction):
    anchor = "kick-the-tires"

    def act(self, request):
        self.form = KickCheckForm(request.POST)
        if not self.form.is_valid():
            self.invalid()
        services.save_kick_check(
            actor=self.viewer,
            artifact=self.artifact,
            answers=self.form.answers(),
            notes=self.form.cleaned_data["notes"],
            done=self.form.cleaned_data["done"],
        )
        messages.success(request, "Checklist saved.")

    def bound(self) -> dict:
        return {"check_form": self.form}


class KickMessageView(SectionAction):
    anchor = "kick-the-tires"

    def act(self, request):
        self.form = MessageForm(request.POST, auto_id="kick-%s")
        if not self.form.is_valid():
            self.invalid()
        services.post_kick_message(
            actor=self.viewer, artifact=self.artifact, body=self.form.cleaned_data["body"]
        )
        messages.success(request, "The combined message was sent to the authors.")

    def bound(self) -> dict:
        return {"kick_message_form": self.form}


class KickAnswerView(SectionAction):
    anchor = "thread-authors"

    def act(self, request):
        self.form = MessageForm(request.POST, auto_id="answer-%s")
        if not self.form.is_valid():
            self.invalid()
        services.answer_kick_message(
            actor=self.viewer, artifact=self.artifact, body=self.form.cleaned_data["body"]
        )
        messages.success(request, "Your answer was sent; the evaluators will look again.")

    def bound(self) -> dict:
        return {"answer_form": self.form}


class EvaluationView(SectionAction):
    anchor = "my-evaluation"

    def act(self, request):
        badges = [rb.badge for rb in self.artifact.requested_badges.select_related("badge")]
        self.form = EvaluationForm(request.POST, badges=badges)
        if not self.form.is_valid():
            self.invalid()
        submit = request.POST.get("action") == "submit"
        evaluation = services.save_evaluation(
            actor=self.viewer,
            artifact=self.artifact,
            to_authors=self.form.cleaned_data["to_authors"],
            to_evaluators=self.form.cleaned_data["to_evaluators"],
            verdicts=self.form.verdicts(),
            submit=submit,
        )
        messages.success(
            request, "Evaluation submitted." if evaluation.submitted_at else "Draft saved."
        )

    def bound(self) -> dict:
        return {"evaluation_form": self.form}


class LeadView(SectionAction):
    anchor = "decision"

    def act(self, request):
        assignments = queries.live_assignments(self.artifact)
        self.form = LeadForm(request.POST, assignments=assignments)
        if not self.form.is_valid():
            self.invalid()
        chosen = self.form.cleaned_data["lead"]
        lead = next((a.evaluator for a in assignments if a.evaluator_id == chosen), None)
        decide.set_lead(actor=self.viewer, artifact=self.artifact, evaluator=lead)
        messages.success(request, "Lead saved.")

    def bound(self) -> dict:
        return {"lead_form": self.form}


class ProposalView(SectionAction):
    anchor = "decision"

    def act(self, request):
        requested = list(self.artifact.requested_badges.select_related("badge"))
        self.form = ProposalForm(request.POST, requested=requested)
        if not self.form.is_valid():
            self.invalid()
        decide.propose(
            actor=self.viewer,
            artifact=self.artifact,
            proposals=self.form.proposals(),
            note=self.form.cleaned_data["note"],
        )
        messages.success(request, "Proposal saved.")

    def bound(self) -> dict:
        return {"proposal_form": self.form}


class DecisionView(SectionAction):
    anchor = "decision"

    def act(self, request):
        requested = list(self.artifact.requested_badges.select_related("badge"))
        self.form = DecisionForm(request.POST, requested=requested)
        if not self.form.is_valid():
            self.invalid()
        decide.decide(
            actor=self.viewer,
            artifact=self.artifact,
            outcomes=self.form.outcomes(),
            public_report=self.form.cleaned_data["public_report"],
        )
        messages.success(request, "Badges decided. Publish them to tell the authors.")

    def bound(self) -> dict:
        return {"decision_form": self.form}


class ReopenView(SectionAction):
    anchor = "decision"

    def act(self, request):
        decide.reopen(actor=self.viewer, artifact=self.artifact)
        messages.success(request, "The decision is reopened: the artifact is in discussion.")


class PublishView(SectionAction):
    anchor = "decision"

    def act(self, request):
        decide.publish(actor=self.viewer, artifact=self.artifact)
        messages.success(request, "Badges published; the authors were told.")


class AdvanceView(SectionAction):
    anchor = "decision"

    def act(self, request):
        to = request.POST.get("to") or None
        if to is not None and to not in S.values:
            raise ValidationError("There is no such status.")
        target = decide.advance(actor=self.viewer, artifact=self.artifact, to=to)
        messages.success(request, f"The artifact is now: {S(target).label}.")


# --- The AE chairs' overview ------------------------------------------------------------------


class OverviewMixin(ConferenceMixin):
    permission_required = "artifacts.manage_ae"

    def filtered(self):
        get = self.request.GET
        self.filters = {
            "status": get.get("status", ""),
            "badge": get.get("badge", ""),
            "attention": get.get("attention") == "1",
            "search": get.get("q", "")[:200],
        }
        rows = queries.overview_rows(self.conference)
        return queries.filter_overview(rows, self.viewer, self.conference, **self.filters)

    def conflicted(self) -> frozenset[int]:
        from artifacts.rules import conflicted_artifact_submission_ids

        return conflicted_artifact_submission_ids(self.viewer, self.conference)


def _proposal(artifact) -> str:
    return ", ".join(
        f"{rb.badge.label}: {rb.get_proposal_display()}"
        for rb in artifact.requested_badges.all()
        if rb.proposal
    )


def _outcome(artifact) -> str:
    return ", ".join(
        f"{rb.badge.label}: {rb.get_outcome_display()}"
        for rb in artifact.requested_badges.all()
        if rb.outcome != enums.BadgeOutcome.PENDING
    )


class OverviewView(OverviewMixin, TemplateView):
    template_name = "artifacts/evaluation/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = tables.page_of(self.filtered(), self.request)
        conflicted = self.conflicted()
        rows = [
            {
                "artifact": a,
                "conflicted": a.submission_id in conflicted,
                "proposal": _proposal(a),
                "outcome": _outcome(a),
                "badges": ", ".join(rb.badge.label for rb in a.requested_badges.all()),
            }
            for a in page.object_list
        ]
        from artifacts.models import Badge

        context.update(
            page=page,
            rows=rows,
            filters=self.filters,
            statuses=[(v, label) for v, label in S.choices if v != S.REGISTERED],
            badges=list(
                Badge.objects.filter(conference=self.conference).values_list("key", "label")
            ),
            query=tables.query(self.request, exclude=["page"]),
            detail_url=tables.row_url(
                "artifacts:detail", "number", conference=self.conference.slug
            ),
        )
        return context


class OverviewExportView(OverviewMixin, View):
    def get(self, request, *args, **kwargs):
        conflicted = self.conflicted()
        header = [
            "number",
            "title",
            "status",
            "badges requested",
            "evaluators",
            "checklists done",
            "evaluations submitted",
            "lead",
            "proposal",
            "outcome",
        ]

        def rows():
            for a in self.filtered().iterator(chunk_size=500):
                base = [a.submission.number, a.submission.title, a.get_status_display()]
                if a.submission_id in conflicted:
                    yield [*base, "", "", "", "", "", "", ""]
                    continue
                yield [
                    *base,
                    ", ".join(rb.badge.label for rb in a.requested_badges.all()),
                    a.n_evaluators,
                    a.n_checks,
                    a.n_evaluations,
                    (a.lead.name or a.lead.email) if a.lead else "",
                    _proposal(a),
                    _outcome(a),
                ]

        return tables.csv_response("artifacts-overview", header, rows())


class OverviewBulkView(OverviewMixin, View):
    """Advance, publish or pick leads for the ticked artifacts; each one the action may not
    touch is listed with the reason."""

    ACTIONS = {
        "advance": (decide.advance_many, "moved on"),
        "publish": (decide.publish_many, "published"),
        "pick_leads": (decide.pick_leads, "given a lead"),
    }

    def post(self, request, *args, **kwargs):
        back = tables.back_to(
            request, reverse("artifacts:overview", kwargs={"conference": self.conference.slug})
        )
        action = self.ACTIONS.get(request.POST.get("action", ""))
        ids = [int(v) for v in request.POST.getlist("artifact") if v.isdigit()][:1000]
        if action is None or not ids:
            messages.error(request, "Tick at least one artifact and choose an action.")
            return redirect(back)
        from artifacts.models import Artifact

        chosen = list(
            Artifact.objects.filter(conference=self.conference, pk__in=ids)
            .select_related("submission")
            .order_by("submission__number")
        )
        for artifact in chosen:
            artifact.conference = self.conference
        run, verb = action
        result = run(actor=self.viewer, conference=self.conference, artifacts=chosen)
        if result.done:
            messages.success(request, f"{len(result.done)} artifact(s) {verb}.")
        for artifact, reason in result.skipped:
            messages.warning(request, f"#{artifact.submission.number} skipped: {reason}.")
        return redirect(back)

"""The chairs' analysis pages next to the decisions dashboard: plots, the threshold helper (with
"set the decisions from this cut-off"), the consistency check and the PC-meeting mode.

Every page needs ``decisions.manage_decisions`` (404 otherwise) and reads the dashboard's rows,
so papers the chair is conflicted with are redacted everywhere; per-paper writes name
``decisions.decide`` and answer 404 on a paper the chair is conflicted with.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from decisions.dashboard import meeting as meetings
from decisions.dashboard import plots, threshold
from decisions.dashboard.analytics_forms import (
    ApplyForm,
    CutoffForm,
    DecideForm,
    MeetingStartForm,
    MoveForm,
    PlotsForm,
    ReasonForm,
)
from decisions.dashboard.stats import Dashboard, annotate_names, dashboard
from decisions.models import Decision, DecisionMeeting
from decisions.services import decision_of, record_decision
from mlsys.celery import enqueue_on_commit
from mlsys.conferences.mixins import ConferenceMixin
from reviews.enums import Recommendation
from reviews.rules import load_conflicts

MANAGE = "decisions.manage_decisions"
PAGE_SIZE = 100


def _errors(error: ValidationError | PermissionDenied) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


class AnalyticsMixin(ConferenceMixin):
    permission_required = MANAGE

    def board(self) -> Dashboard:
        if not hasattr(self, "_board"):
            self._board = dashboard(self.conference, self.viewer)
        return self._board

    def cutoff(self) -> tuple[CutoffForm, float]:
        """The cut-off the request names (``?cutoff=``), else the meeting's, else the median
        calibrated score; a malformed value shows the form's error and uses the default."""
        board = self.board()
        meeting = DecisionMeeting.objects.filter(conference=self.conference).first()
        fallback = meeting.cutoff if meeting else threshold.default_cutoff(board)
        if "cutoff" not in self.request.GET:
            return CutoffForm(initial={"cutoff": fallback}), fallback
        form = CutoffForm(self.request.GET)
        return form, form.cleaned_data["cutoff"] if form.is_valid() else fallback

    def url(self, name: str, **query) -> str:
        base = reverse(f"decisions:{name}", kwargs={"conference": self.conference.slug})
        return f"{base}?{urlencode(query)}" if query else base

    def names(self, model) -> dict[int, str]:
        return dict(model.objects.filter(conference=self.conference).values_list("pk", "name"))

    def topics(self) -> dict[int, str]:
        return dict(self.conference.topics.values_list("pk", "name"))

    def tracks(self) -> dict[int, str]:
        return dict(self.conference.tracks.values_list("pk", "name"))


class PlotsView(AnalyticsMixin, TemplateView):
    template_name = "decisions/dashboard/analytics/plots.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = PlotsForm(self.request.GET)
        kind = (form.is_valid() and form.cleaned_data["score"]) or "calibrated"
        board = self.board()
        names = annotate_names(board.reviewer_bias)
        context.update(
            board=board,
            form=form,
            kind=kind,
            figures=plots.figures(board, self.topics(), names, kind),
        )
        return context


class ThresholdView(AnalyticsMixin, TemplateView):
    """The preview: what a cut-off accepts per track and topic. An htmx request (the slider)
    gets only the preview part."""

    template_name = "decisions/dashboard/analytics/threshold.html"

    def get_template_names(self):
        if self.request.headers.get("HX-Request") == "true":
            return ["decisions/dashboard/analytics/_threshold_preview.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, cutoff = self.cutoff()
        board = self.board()
        low, high = plots.scale_of(board)
        scored = [row.calibrated for row in board.visible if row.calibrated is not None]
        context.update(
            form=form,
            cutoff=cutoff,
            preview=threshold.preview(board, cutoff, self.tracks(), self.topics()),
            disagreeing=len(threshold.disagreements(board, cutoff)),
            slider_low=min([low, *scored]),
            slider_high=max([high, *scored]),
        )
        return context


class ThresholdApplyView(AnalyticsMixin, TemplateView):
    """Step two: what setting the decisions from the cut-off will touch (GET), and doing it
    (POST, refused if the plan changed since the page was shown)."""

    template_name = "decisions/dashboard/analytics/apply.html"
    SHOWN = 100

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, cutoff = self.cutoff()
        plan = kwargs.get("plan") or threshold.plan(self.board(), cutoff)
        apply_form = kwargs.get("apply_form") or ApplyForm(
            conference=self.conference, initial={"cutoff": cutoff, "digest": plan.digest}
        )
        context.update(
            form=form,
            cutoff=cutoff,
            plan=plan,
            touched=len(plan.accept) + len(plan.reject),
            apply_form=apply_form,
            shown=self.SHOWN,
            skipped=[(why, len(rows)) for why, rows in plan.skipped.items()],
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ApplyForm(request.POST, conference=self.conference)
        if not form.is_valid():
            messages.error(request, "Choose an outcome for each side of the line.")
            return redirect(self.url("threshold_apply"))
        cutoff, digest = form.cleaned_data["cutoff"], form.cleaned_data["digest"]
        accept, reject = form.cleaned_data["accept"], form.cleaned_data["reject"]
        plan = threshold.plan(self.board(), cutoff)
        if plan.digest != digest:
            messages.error(
                request,
                "Scores or decisions changed since you looked: nothing was set. "
                "Check the list again before confirming.",
            )
            return redirect(self.url("threshold_apply", cutoff=cutoff))
        touched = len(plan.accept) + len(plan.reject)
        if touched > threshold.SYNC_LIMIT:
            enqueue_on_commit(
                "decisions.apply_cutoff",
                conference_id=self.conference.pk,
                user_id=request.user.pk,
                cutoff=cutoff,
                digest=digest,
                accept_id=accept.pk,
                reject_id=reject.pk,
            )
            messages.success(
                request,
                f"Recording {touched} pending decisions in the background: they appear here "
                "and on the dashboard within a minute.",
            )
            return redirect(self.url("consistency", cutoff=cutoff))
        result = threshold.apply_cutoff(
            conference=self.conference,
            actor=request.viewer,
            cutoff=cutoff,
            digest=digest,
            accept=accept,
            reject=reject,
        )
        if result is None:  # changed between the check above and now
            messages.error(request, "Scores or decisions changed meanwhile: nothing was set.")
            return redirect(self.url("threshold_apply", cutoff=cutoff))
        accepted, rejected = result
        messages.success(
            request,
            f"Recorded {len(accepted.done)} × {accept} and {len(rejected.done)} × {reject} "
            "as pending decisions.",
        )
        skipped = accepted.skipped + rejected.skipped
        if skipped:
            messages.warning(
                request,
                "Skipped: "
                + "; ".join(f"#{paper.number} ({why})" for paper, why in skipped[:20])
                + ("…" if len(skipped) > 20 else ""),
            )
        return redirect(self.url("consistency", cutoff=cutoff))


class ConsistencyView(AnalyticsMixin, TemplateView):
    """Decisions on the wrong side of the cut-off, each with the chair's reason (POST one)."""

    template_name = "decisions/dashboard/analytics/consistency.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, cutoff = self.cutoff()
        board = self.board()
        rows = threshold.disagreements(board, cutoff)
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        outcomes = {o.pk: o.label for o in board.outcomes}
        tracks = self.tracks()
        context.update(
            form=form,
            cutoff=cutoff,
            page_obj=page,
            items=[
                (row, outcomes.get(row.outcome_id or 0, ""), tracks.get(row.track_id, ""))
                for row in page
            ],
            total=len(rows),
            without_reason=sum(1 for row in rows if not row.decision_reason),
            querystring=urlencode({"cutoff": cutoff}),
            error_for=kwargs.get("error_for"),
            reason_form=kwargs.get("reason_form"),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ReasonForm(request.POST)
        back = self.url("consistency", cutoff=request.GET.get("cutoff", ""))
        if not form.is_valid():
            number = request.POST.get("number", "")
            context = self.get_context_data(error_for=number, reason_form=form)
            return self.render_to_response(context, status=400)
        submission = get_object_or_404(
            self.conference.submissions.select_related("decision__outcome"),
            number=form.cleaned_data["number"],
        )
        decision = decision_of(submission)
        if not request.viewer.has_perm("decisions.decide", submission) or decision is None:
            raise Http404
        try:
            record_decision(
                submission=submission,
                outcome=decision.outcome,
                actor=request.viewer,
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, f"#{submission.number}: {_errors(error)}")
        else:
            messages.success(request, f"Reason kept with the decision of #{submission.number}.")
        return redirect(f"{back}#paper-{submission.number}")


class MeetingView(AnalyticsMixin, TemplateView):
    """The paper on the screen, who must leave for it, and what comes next."""

    template_name = "decisions/dashboard/analytics/meeting.html"
    UPCOMING = 8

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = DecisionMeeting.objects.filter(conference=self.conference).first()
        context["meeting"] = meeting
        context["start_refused"] = meetings.start_refusal(self.conference, self.viewer)
        if meeting is None or not meeting.order:
            _, cutoff = self.cutoff()
            context["start_form"] = MeetingStartForm(initial={"cutoff": cutoff, "window": 0.5})
            return context
        context["start_form"] = MeetingStartForm(
            initial={"cutoff": meeting.cutoff, "window": meeting.window}
        )
        hidden = self.viewer.fact(load_conflicts, self.conference)
        position = min(meeting.position, len(meeting.order) - 1)
        window = meeting.order[position : position + 1 + self.UPCOMING]
        papers = {
            p.pk: p
            for p in self.conference.submissions.filter(pk__in=window).select_related("track")
        }
        leaving = meetings.leaving(self.conference, window)
        names = meetings.names_of({user for users in leaving.values() for user in users})
        slots = [
            meetings.Slot(
                position=position + i,
                number=papers[pk].number,
                title=papers[pk].title,
                conflicted=pk in hidden,
                # Who is conflicted with a paper is part of what its conflicted chair may not
                # see (its reviewer-declared conflicts): only that they leave themselves.
                leaving=[] if pk in hidden else sorted(names[user] for user in leaving[pk]),
            )
            for i, pk in enumerate(window)
            if pk in papers
        ]
        current_pk = meeting.order[position]
        current = papers.get(current_pk)
        context.update(
            position=position,
            total=len(meeting.order),
            slots=slots,
            current=current,
            current_slot=slots[0] if slots and current else None,
        )
        row = next((r for r in self.board().rows if r.id == current_pk), None)
        if current is not None and current_pk not in hidden and row is None:
            context["gone"] = current.get_status_display().lower()
        elif current is not None and current_pk not in hidden and row is not None:
            board = self.board()
            context.update(
                row=row,
                primary=row.scores.get(board.primary or ""),
                recommendation=Recommendation(row.recommendation).label
                if row.recommendation in Recommendation.values
                else "",
                decision=Decision.objects.filter(submission_id=current_pk)
                .select_related("outcome")
                .first(),
                decide_form=DecideForm(
                    conference=self.conference, initial={"outcome": row.outcome_id}
                ),
            )
        return context


class MeetingWhereView(AnalyticsMixin, TemplateView):
    """Polled by the meeting page (htmx, every few seconds): says when another chair moved the
    meeting, without reloading under a chair who is typing a reason."""

    template_name = "decisions/dashboard/analytics/_meeting_where.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stored = (
            DecisionMeeting.objects.filter(conference=self.conference)
            .values_list("position", "started_at")
            .first()
        )
        form = MoveForm(self.request.GET)
        shown = form.cleaned_data["position"] if form.is_valid() else None
        context["moved_to"] = stored[0] if stored and stored[0] != shown else None
        return context


class MeetingStartView(AnalyticsMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = MeetingStartForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Give a cut-off and a window (numbers, the window 0 or more).")
            return redirect(self.url("meeting"))
        try:
            meeting = meetings.start_meeting(
                conference=self.conference,
                actor=request.viewer,
                cutoff=form.cleaned_data["cutoff"],
                window=form.cleaned_data["window"],
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, f"Meeting started: {len(meeting.order)} papers to discuss.")
        return redirect(self.url("meeting"))


class MeetingMoveView(AnalyticsMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        meeting = get_object_or_404(DecisionMeeting, conference=self.conference)
        meeting.conference = self.conference
        form = MoveForm(request.POST)
        if form.is_valid():
            meetings.move_to(
                meeting=meeting, position=form.cleaned_data["position"], actor=request.viewer
            )
        else:
            messages.error(request, "That is not a place in the discussion order.")
        return redirect(self.url("meeting"))


class MeetingDecideView(AnalyticsMixin, View):
    """Set the decision of a paper of the meeting's order, from the meeting page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        meeting = get_object_or_404(DecisionMeeting, conference=self.conference)
        submission = get_object_or_404(
            self.conference.submissions.filter(pk__in=meeting.order), number=kwargs["number"]
        )
        if not request.viewer.has_perm("decisions.decide", submission):
            raise Http404
        form = DecideForm(request.POST, conference=self.conference)
        if not form.is_valid():
            messages.error(request, "Choose one of the conference's outcomes.")
            return redirect(self.url("meeting"))
        try:
            record_decision(
                submission=submission,
                outcome=form.cleaned_data["outcome"],
                actor=request.viewer,
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, f"#{submission.number}: {_errors(error)}")
        else:
            messages.success(
                request, f"#{submission.number}: {form.cleaned_data['outcome']} (pending)."
            )
        return redirect(self.url("meeting"))

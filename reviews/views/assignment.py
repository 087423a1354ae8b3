"""The chairs' assignment pages: overview and solve form, proposal (progress, report, diff,
edits, commit, undo), release, and manual assignment of one paper.

Every view requires ``reviews.manage_assignments`` on the conference; anyone else gets 404
(anonymous visitors a login redirect). Writes go through reviews.assignment.services.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from mlsys.conferences.mixins import ConferenceMixin
from reviews.assignment import queries, services
from reviews.assignment.forms import ReviewerForm, SolveForm
from reviews.assignment.suggestions import candidates, suggestions
from reviews.enums import ProposalStatus
from reviews.models import Assignment, AssignmentProposal, ProposedPair
from submissions.models import Submission


class AssignmentMixin(ConferenceMixin):
    permission_required = "reviews.manage_assignments"

    def home_url(self) -> str:
        return reverse("reviews:assignment", kwargs={"conference": self.conference.slug})

    def proposal_url(self, proposal) -> str:
        return reverse(
            "reviews:proposal", kwargs={"conference": self.conference.slug, "pk": proposal.pk}
        )

    def get_proposal(self) -> AssignmentProposal:
        return get_object_or_404(
            AssignmentProposal.objects.select_related("track", "created_by"),
            conference=self.conference,
            pk=self.kwargs["pk"],
        )

    def get_paper(self) -> Submission:
        return get_object_or_404(
            Submission.objects.select_related("track"),
            conference=self.conference,
            number=self.kwargs["number"],
        )


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


class AssignmentHomeView(AssignmentMixin, TemplateView):
    template_name = "reviews/assignment/home.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        tracks = list(self.conference.tracks.all())
        papers, reviewers = queries.assignment_overview(self.conference)
        context.update(
            papers=papers,
            reviewers=reviewers,
            tracks=tracks,
            form=form or SolveForm(tracks=tracks),
            proposals=queries.recent_proposals(self.conference),
            released=services.assignments_released(self.conference),
            unreleased=sum(1 for row in papers for a, _r in row.reviewers if not a.released),
            last_commit=services.last_commit(self.conference),
        )
        return context


class SolveView(AssignmentHomeView):
    """POST the solve form: store a proposal, enqueue the solver, go to the proposal page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = SolveForm(request.POST, tracks=list(self.conference.tracks.all()))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        proposal = services.create_proposal(
            self.conference, actor=request.user, track=form.track(), params=form.params()
        )
        return redirect(self.proposal_url(proposal))


class ProposalView(AssignmentMixin, TemplateView):
    template_name = "reviews/assignment/proposal.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposal = self.get_proposal()
        last = services.last_commit(self.conference)
        context.update(
            proposal=proposal,
            in_progress=proposal.status in queries.IN_PROGRESS,
            editable=proposal.status == ProposalStatus.READY,
            papers=queries.proposal_papers(proposal)
            if proposal.status
            in (ProposalStatus.READY, ProposalStatus.COMMITTED, ProposalStatus.UNDONE)
            else [],
            can_undo=last is not None and last.pk == proposal.pk,
            tracks_report=proposal.report.get("tracks", []),
            commit_record=proposal.report.get("commit"),
        )
        return context


class ProposalProgressView(AssignmentMixin, View):
    """htmx poll target: the progress bar while solving; a full refresh when it is done."""

    def get(self, request, *args, **kwargs):
        proposal = self.get_proposal()
        if proposal.status not in queries.IN_PROGRESS:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return render(
            request,
            "reviews/assignment/_progress.html",
            {"proposal": proposal, "conference": self.conference},
        )


class ProposalActionView(AssignmentMixin, View):
    """POST-only actions on a proposal; each calls one service and returns to the proposal."""

    action = ""

    def post(self, request, *args, **kwargs):
        proposal = self.get_proposal()
        try:
            if self.action == "commit":
                counts = services.commit_proposal(proposal, actor=request.user)
                messages.success(
                    request,
                    f"Committed: {counts['added']} assignment(s) added, "
                    f"{counts['removed']} removed.",
                )
            elif self.action == "undo":
                counts = services.undo_commit(proposal, actor=request.user)
                messages.success(
                    request,
                    f"Undone: {counts['deleted']} assignment(s) deleted, "
                    f"{counts['restored']} restored.",
                )
            elif self.action == "discard":
                services.discard_proposal(proposal, actor=request.user)
                messages.success(request, "Proposal discarded.")
                return redirect(self.home_url())
            elif self.action == "remove":
                pair = get_object_or_404(ProposedPair, proposal=proposal, pk=kwargs["pair"])
                services.remove_pair(proposal, pair=pair, actor=request.user)
                messages.success(request, f"Removed {pair.user} from #{pair.submission.number}.")
        except ValidationError as exc:
            _error(request, exc)
        return redirect(self.proposal_url(proposal))


class PickReviewerView(AssignmentMixin, TemplateView):
    """Choose a reviewer for a paper from the suggestion list: add to (or swap in) a proposal,
    or assign by hand. GET shows the list; POST applies it."""

    template_name = "reviews/assignment/pick_reviewer.html"
    mode = "add"  # "add" | "swap" | "manual"

    def setup_objects(self):
        self.proposal = self.get_proposal() if self.mode != "manual" else None
        if self.mode == "swap":
            self.pair = get_object_or_404(
                ProposedPair.objects.select_related("submission__track", "user"),
                proposal=self.proposal,
                pk=self.kwargs["pair"],
            )
            self.paper = self.pair.submission
        else:
            self.pair = None
            self.paper = self.get_paper()

    def choices(self) -> list:
        best = [
            (s.user_id, s.label)
            for s in suggestions(self.conference, self.paper, proposal=self.proposal)
        ]
        if self.mode != "manual":
            return best
        # By hand a chair may exceed a max load or override "not willing" (with a warning);
        # conflicts are never offered.
        warned = [
            (
                c.reviewer.user_id,
                f"{c.reviewer.label} ({c.reviewer.side}) — "
                f"{'bid not willing' if c.forbidden else f'at max load {c.reviewer.max_load}'}",
            )
            for c in candidates(self.conference, self.paper)
            if not c.on_paper
            and (c.at_max_load or c.forbidden.startswith("bid “not"))
            and not c.forbidden.startswith(("conflict", "author", "bid “conflict", "declined"))
        ]
        groups = [("Suggested (best quality first)", best)] if best else []
        return groups + ([("With a warning", warned)] if warned else [])

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        choices = self.choices()
        context.update(
            proposal=self.proposal,
            pair=self.pair,
            paper=self.paper,
            mode=self.mode,
            form=form or ReviewerForm(choices=choices),
            has_choices=any(choices),
            assignments=(
                Assignment.objects.filter(submission=self.paper, declined_at__isnull=True)
                .select_related("reviewer")
                .order_by("reviewer__name")
                if self.mode == "manual"
                else []
            ),
            back=self.proposal_url(self.proposal) if self.proposal else self.home_url(),
        )
        return context

    def get(self, request, *args, **kwargs):
        self.setup_objects()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.setup_objects()
        form = ReviewerForm(request.POST, choices=self.choices())
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        user_id = form.cleaned_data["reviewer"]
        try:
            if self.mode == "add":
                services.add_pair(
                    self.proposal, submission=self.paper, user_id=user_id, actor=request.user
                )
            elif self.mode == "swap":
                services.swap_pair(
                    self.proposal, pair=self.pair, user_id=user_id, actor=request.user
                )
            else:
                _a, warnings = services.add_assignment(
                    self.conference, submission=self.paper, reviewer_id=user_id, actor=request.user
                )
                for warning in warnings:
                    messages.warning(request, warning)
        except ValidationError as exc:
            form.add_error("reviewer", exc)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, f"Reviewer added to #{self.paper.number}.")
        if self.mode == "manual":
            return redirect(
                reverse(
                    "reviews:assignment_paper",
                    kwargs={"conference": self.conference.slug, "number": self.paper.number},
                )
            )
        return redirect(self.proposal_url(self.proposal))


class RemoveAssignmentView(AssignmentMixin, View):
    def post(self, request, *args, **kwargs):
        paper = self.get_paper()
        assignment = get_object_or_404(Assignment, submission=paper, pk=kwargs["pk"])
        services.remove_assignment(assignment, actor=request.user)
        messages.success(request, f"Removed {assignment.reviewer} from #{paper.number}.")
        return redirect(
            reverse(
                "reviews:assignment_paper",
                kwargs={"conference": self.conference.slug, "number": paper.number},
            )
        )


class ReleaseView(AssignmentMixin, View):
    def post(self, request, *args, **kwargs):
        count = services.release_assignments(self.conference, actor=request.user)
        messages.success(request, f"Assignments released; {count} reviewer(s) emailed.")
        return redirect(self.home_url())

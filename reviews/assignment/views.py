"""The chairs' assignment pages: overview and solve form, proposal (progress, report, diff,
edits, commit, undo), release, and manual assignment of one paper.

Every view requires ``reviews.manage_assignments`` on the conference; anyone else gets 404
(anonymous visitors a login redirect). Writes go through reviews.assignment.services.

A chair conflicted with a paper is treated like a conflicted PC member: the overview lists the
paper as conflicted without its reviewers, the proposal page leaves its rows out, and every
per-paper page or action on it (assign by hand, add, swap, remove, restore) answers 404;
another chair handles it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from mlsys.conferences.mixins import ConferenceMixin
from mlsys.core import tables
from reviews.assignment import queries, services
from reviews.assignment import tables as assignment_tables
from reviews.assignment.forms import ReviewerForm, SolveForm
from reviews.assignment.suggestions import candidates, suggestions
from reviews.enums import ProposalStatus
from reviews.models import Assignment, AssignmentProposal, MetaReview, ProposedPair, Review
from reviews.rules import conflicted_submission_ids
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

    @property
    def conflicted_ids(self) -> frozenset[int]:
        return conflicted_submission_ids(self.request.viewer, self.conference)

    def check_paper(self, submission: Submission) -> Submission:
        """404 for a paper the chair is conflicted with (another chair handles it)."""
        if submission.pk in self.conflicted_ids:
            raise Http404("You are conflicted with this paper.")
        return submission

    def get_paper(self) -> Submission:
        return self.check_paper(
            get_object_or_404(
                Submission.objects.select_related("track"),
                conference=self.conference,
                number=self.kwargs["number"],
            )
        )

    def paper_url(self, paper) -> str:
        return reverse(
            "reviews:assignment_paper",
            kwargs={"conference": self.conference.slug, "number": paper.number},
        )

    def unreleased_count(self) -> int:
        return (
            Assignment.objects.current().filter(conference=self.conference, released=False).count()
        )


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


class AssignmentHomeView(AssignmentMixin, TemplateView):
    template_name = "reviews/assignment/home.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        request, slug = self.request, self.conference.slug
        tracks = list(self.conference.tracks.all())
        paper_form, lines, load_form, loads, pool, hidden = assignment_tables.overview(
            self.conference, request.GET, tracks, self.conflicted_ids
        )
        paper_page = tables.page_of(lines, request)
        load_page = tables.page_of(loads, request, "lpage")
        home = self.home_url()
        export = reverse("reviews:assignment_export", kwargs={"conference": slug})
        papers_only, loads_only = assignment_tables.PAPER_PARAMS, assignment_tables.LOAD_PARAMS
        context.update(
            papers=queries.overview_rows(self.conference, list(paper_page.object_list), pool),
            paper_page=paper_page,
            reviewers=list(load_page.object_list),
            load_page=load_page,
            hidden_papers=hidden,
            paper_form=paper_form,
            load_form=load_form,
            paper_keep=tables.carried(request, papers_only),
            load_keep=tables.carried(request, loads_only),
            paper_clear=f"{home}?{tables.query(request, exclude=papers_only)}",
            load_clear=f"{home}?{tables.query(request, exclude=loads_only)}",
            paper_query=tables.query(request, exclude={"page"}),
            load_query=tables.query(request, exclude={"lpage"}),
            paper_export=f"{export}?{tables.query(request, exclude=(*loads_only, 'page'))}",
            load_export=f"{export}?"
            + tables.query(request, exclude=(*papers_only, "lpage"), table="loads"),
            next_url=request.get_full_path(),
            manual_url=tables.row_url("reviews:assignment_paper", "number", conference=slug),
            paper_url=tables.row_url("reviews:paper", "number", conference=slug),
            tracks=tracks,
            form=form or SolveForm(tracks=tracks),
            proposals=queries.recent_proposals(self.conference),
            released=services.assignments_released(self.conference),
            unreleased=self.unreleased_count(),
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
        request, slug = self.request, self.conference.slug
        proposal = self.get_proposal()
        last = services.last_commit(self.conference)
        tracks = list(self.conference.tracks.all())
        form, lines, pool, removed, hidden = assignment_tables.proposal_changes(
            proposal, request.GET, tracks, self.conflicted_ids
        )
        page = tables.page_of(lines, request)
        editable = proposal.status == ProposalStatus.READY
        here = self.proposal_url(proposal)
        export = reverse("reviews:proposal_export", kwargs={"conference": slug, "pk": proposal.pk})
        context.update(
            proposal=proposal,
            in_progress=proposal.status in queries.IN_PROGRESS,
            editable=editable,
            shown=proposal.status in assignment_tables.SHOWN_STATUSES,
            papers=queries.proposal_rows(proposal, list(page.object_list), pool),
            page_obj=page,
            filter_form=form,
            clear_url=here,
            querystring=tables.query(request, exclude={"page"}),
            export_url=f"{export}?{tables.query(request, exclude={'page'})}",
            next_url=request.get_full_path(),
            remove_url=tables.row_url(
                "reviews:proposal_remove", "pair", conference=slug, pk=proposal.pk
            ),
            swap_url=tables.row_url(
                "reviews:proposal_swap", "pair", conference=slug, pk=proposal.pk
            ),
            add_url=tables.row_url(
                "reviews:proposal_add", "number", conference=slug, pk=proposal.pk
            ),
            hidden_papers=hidden,
            kept_work=self.kept_work(removed) if editable else [],
            can_undo=last is not None and last.pk == proposal.pk,
            tracks_report=queries.report_without_conflicted(
                proposal.report.get("tracks", []), self.conflicted_ids
            ),
            commit_record=proposal.report.get("commit"),
            unreleased=self.unreleased_count(),
        )
        return context

    def kept_work(self, keys: list[tuple[int, int]]) -> list[tuple[Assignment, list[str]]]:
        """The removed pairs (of papers shown to this chair, on every page) whose assignment
        carries work: a commit retires them and keeps the review."""
        if not keys:
            return []
        wanted = set(keys)
        assignments = [
            a
            for a in Assignment.objects.current()
            .filter(conference=self.conference, submission_id__in={k[0] for k in wanted})
            .select_related("submission", "reviewer")
            if (a.submission_id, a.reviewer_id) in wanted
        ]
        work = services.work_on(assignments)
        return [(a, work[a.pk]) for a in assignments if a.pk in work]


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
                kept = (
                    f" ({counts['kept']} of them kept as removed reviewers: they had work)"
                    if counts["kept"]
                    else ""
                )
                messages.success(
                    request,
                    f"Committed: {counts['added']} assignment{pluralize(counts['added'])} added, "
                    f"{counts['removed']} removed{kept}.",
                )
            elif self.action == "discard":
                services.discard_proposal(proposal, actor=request.user)
                messages.success(request, "Proposal discarded.")
                return redirect(self.home_url())
            elif self.action == "remove":
                pair = get_object_or_404(ProposedPair, proposal=proposal, pk=kwargs["pair"])
                self.check_paper(pair.submission)
                services.remove_pair(proposal, pair=pair, actor=request.user)
                messages.success(request, f"Removed {pair.user} from #{pair.submission.number}.")
        except ValidationError as exc:
            _error(request, exc)
        if self.action == "remove":
            return redirect(tables.back_to(request, self.proposal_url(proposal)))
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
            self.paper = self.check_paper(self.pair.submission)
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
                f"{c.reviewer.label} ({c.reviewer.side_label}) — "
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
            **(self.manual_context() if self.mode == "manual" else {}),
            back=tables.back_to(
                self.request,
                self.proposal_url(self.proposal) if self.proposal else self.home_url(),
            ),
        )
        return context

    def manual_context(self) -> dict:
        """The paper's current reviewers with their review (if any), and its removed reviewers
        whose work is kept (restore, keep in scores)."""
        rows = list(
            Assignment.objects.not_declined()
            .filter(submission=self.paper)
            .select_related("reviewer", "removed_by")
            .order_by("reviewer__name")
        )
        reviews = {
            r.assignment_id: r
            for r in Review.objects.filter(assignment_id__in=[a.pk for a in rows]).only(
                "pk", "assignment_id", "state", "submitted_at", "version"
            )
        }
        for a in rows:
            a.current_review = reviews.get(a.pk)
        return {
            "assignments": [a for a in rows if a.removed_at is None],
            "removed_assignments": [a for a in rows if a.removed_at is not None],
        }

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
        return redirect(tables.back_to(request, self.proposal_url(self.proposal)))


class RemoveAssignmentView(AssignmentMixin, TemplateView):
    """Remove a reviewer from a paper. Without work it is deleted at once; with work (a
    review, comments, ratings) the page names that work and asks to confirm; confirmed, the
    assignment is retired and the review kept."""

    template_name = "reviews/assignment/remove_confirm.html"
    http_method_names = ["get", "post"]

    def get_assignment(self, paper) -> Assignment:
        return get_object_or_404(
            Assignment.objects.not_declined().select_related("reviewer", "submission"),
            submission=paper,
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Leading the discussion is separate from reviewing: removal leaves the lead in place,
        # and the page says so instead of promising the reviewer loses access.
        context["leads_paper"] = MetaReview.objects.filter(
            submission=kwargs["paper"], lead_id=kwargs["assignment"].reviewer_id
        ).exists()
        return context

    def get(self, request, *args, **kwargs):
        """The confirmation again (a reload, a bookmarked link); it changes nothing. Without
        work to name (or once removed) there is nothing to confirm: back to the paper."""
        paper = self.get_paper()
        assignment = self.get_assignment(paper)
        work = services.work_on([assignment]).get(assignment.pk)
        if assignment.removed_at is not None or not work:
            return redirect(self.paper_url(paper))
        return self.render_to_response(
            self.get_context_data(paper=paper, assignment=assignment, work=work)
        )

    def post(self, request, *args, **kwargs):
        paper = self.get_paper()
        assignment = self.get_assignment(paper)
        name = assignment.reviewer.name or assignment.reviewer.email
        try:
            outcome = services.remove_assignment(
                assignment, actor=request.user, confirm=request.POST.get("confirm") == "yes"
            )
        except services.ConfirmationNeeded as exc:
            return self.render_to_response(
                self.get_context_data(
                    paper=paper, assignment=assignment, work=exc.work[assignment.pk]
                )
            )
        except ValidationError as exc:
            _error(request, exc)
            return redirect(self.paper_url(paper))
        if outcome == "removed":
            messages.success(
                request,
                f"Removed {name} from #{paper.number}; their review is kept (marked as from a "
                "removed reviewer) and they were told.",
            )
        else:
            messages.success(request, f"Removed {name} from #{paper.number}.")
        return redirect(self.paper_url(paper))


class RemovedAssignmentActionView(AssignmentMixin, View):
    """Restore a removed reviewer, or choose whether their kept review counts in scores."""

    action = ""  # "restore" | "keep" | "set_aside"

    def post(self, request, *args, **kwargs):
        paper = self.get_paper()
        assignment = get_object_or_404(
            Assignment.objects.removed().select_related("reviewer", "submission"),
            submission=paper,
            pk=kwargs["pk"],
        )
        name = assignment.reviewer.name or assignment.reviewer.email
        try:
            if self.action == "restore":
                services.restore_assignment(assignment, actor=request.user)
                messages.success(request, f"{name} is a reviewer of #{paper.number} again.")
            else:
                keep = self.action == "keep"
                services.set_keep_review(assignment, keep=keep, actor=request.user)
                messages.success(
                    request,
                    f"{name}'s review now counts in the scores of #{paper.number}."
                    if keep
                    else f"{name}'s review no longer counts in the scores of #{paper.number}.",
                )
        except ValidationError as exc:
            _error(request, exc)
        return redirect(self.paper_url(paper))


#: The "For every kept pair" choice of the undo page (field ``fate_all``).
ALL_FATES = {
    "": "Choose for each pair below",
    services.STAY: "Keep every reviewer on their paper",
    services.RETIRE: "Remove every reviewer, keeping their reviews",
}


class UndoCommitView(AssignmentMixin, TemplateView):
    """GET: what undoing the latest commit will do (assignments deleted, those with work
    kept, and for released ones a choice of fate each). POST: undo."""

    template_name = "reviews/assignment/undo_confirm.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        proposal = self.get_proposal()
        preview = services.undo_preview(proposal)
        conflicted = self.conflicted_ids
        keep = [(a, w) for a, w in preview["keep"] if a.submission_id not in conflicted]
        delete = [a for a in preview["delete"] if a.submission_id not in conflicted]
        context.update(
            proposal=proposal,
            delete=delete,
            hidden=len(preview["delete"]) + len(preview["keep"]) - len(delete) - len(keep),
            keep=keep,
            blocked=any(a.released and a.submission_id in conflicted for a, _w in preview["keep"]),
            restore=preview["restore"],
            fates=services.FATES,
            fates_for_all=ALL_FATES,
            released_kept=sum(1 for a, _w in keep if a.released),
            can_undo=(last := services.last_commit(self.conference)) is not None
            and last.pk == proposal.pk,
        )
        return context

    def post(self, request, *args, **kwargs):
        proposal = self.get_proposal()
        fates = {}
        for key, value in request.POST.items():
            if key.startswith("fate_") and key[5:].isdigit():
                fates[int(key[5:])] = value
        conflicted = self.conflicted_ids
        preview = services.undo_preview(proposal)
        if any(a.released and a.submission_id in conflicted for a, _w in preview["keep"]):
            messages.error(
                request,
                "This commit gave reviews to papers you are conflicted with; another chair "
                "must undo it.",
            )
            return redirect(self.proposal_url(proposal))
        try:
            counts = services.undo_commit(
                proposal,
                actor=request.user,
                fates=fates,
                default_fate=request.POST.get("fate_all") or None,
            )
        except services.ConfirmationNeeded as exc:
            _error(request, exc)
            return self.render_to_response(self.get_context_data())
        except ValidationError as exc:
            _error(request, exc)
            return redirect(self.proposal_url(proposal))
        messages.success(
            request,
            f"Undone: {counts['deleted']} assignment{pluralize(counts['deleted'])} deleted, "
            f"{counts['restored']} restored, "
            f"{counts['kept']} kept with their reviewer, {counts['retired']} removed with the "
            "review kept.",
        )
        return redirect(self.proposal_url(proposal))


class ReleaseView(AssignmentMixin, View):
    def post(self, request, *args, **kwargs):
        count = services.release_assignments(self.conference, actor=request.user)
        if count:
            messages.success(
                request, f"Assignments released; {count} reviewer{pluralize(count)} emailed."
            )
        else:
            messages.info(request, "Every assignment is already released; nobody was emailed.")
        return redirect(self.home_url())

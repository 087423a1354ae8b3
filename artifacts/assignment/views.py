"""Pages of bidding and assignment.

- Evaluators (``artifacts.evaluator_pages``): bidding (``artifacts:bidding``; one bid per row,
  htmx or a plain POST) and "My artifacts" (``artifacts:mine``).
- AE chairs (``artifacts.manage_ae``): the assignment page (``artifacts:assignment``: every
  artifact with its evaluators, run → preview → confirm, start kick-the-tires in bulk) and one
  artifact's evaluators (add by hand, remove with the work confirmation). A chair conflicted
  with a paper sees its artifact listed without evaluators, and its per-artifact pages and
  actions answer 404: another AE chair handles it.

Anyone else gets 404 (anonymous visitors a login redirect). Writes go through the services.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from artifacts import enums
from artifacts.assignment import hardware, queries, services, solving
from artifacts.assignment import pool as pools
from artifacts.assignment.forms import SCALE, AddEvaluatorForm, BidForm, CommitForm
from artifacts.models import Artifact, EvaluatorAssignment
from artifacts.rules import conflicted_artifact_submission_ids
from mlsys.conferences.mixins import ConferenceMixin
from mlsys.core import tables


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# --- Evaluators --------------------------------------------------------------------------------


class EvaluatorMixin(ConferenceMixin):
    permission_required = "artifacts.evaluator_pages"

    def bidding_url(self) -> str:
        return reverse("artifacts:bidding", kwargs={"conference": self.conference.slug})

    def row_context(self) -> dict:
        profile = queries.profile_of(self.request.user)
        return {
            "can_bid": services.bidding_open(self.conference),
            "scale": SCALE,
            "profile": profile,
            "has_profile": profile is not None,
        }


def bid_rows(artifacts, profile) -> list[dict]:
    """Each artifact with its hardware needs and whether the evaluator's hardware fits."""
    rows = []
    for artifact in artifacts:
        ok, reasons = hardware.fit(profile, artifact)
        rows.append(
            {"a": artifact, "needs": hardware.needs(artifact), "fits": ok, "why_not": reasons}
        )
    return rows


class BiddingView(EvaluatorMixin, TemplateView):
    template_name = "artifacts/assignment/bidding.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        base = self.row_context()
        page = tables.page_of(queries.for_bidding(self.request.user, self.conference), self.request)
        context.update(
            base,
            page_obj=page,
            rows=bid_rows(page.object_list, base["profile"]),
            progress=queries.bid_progress(self.request.user, self.conference),
            deadline=services.bidding_deadline(self.conference),
            querystring=tables.query(self.request, exclude={"page"}),
            next_url=self.request.get_full_path(),
        )
        return context


class BidView(EvaluatorMixin, View):
    """Save one bid. htmx gets the row back (and the progress line out of band)."""

    def post(self, request, *args, **kwargs):
        htmx = request.headers.get("HX-Request") == "true"
        artifact = get_object_or_404(
            queries.for_bidding(request.user, self.conference),
            submission__number=kwargs["number"],
        )
        if request.POST.get("conflict"):
            preference = enums.BidPreference.CONFLICT
        else:
            form = BidForm(request.POST)
            if not form.is_valid():
                return self._refuse("Choose one of the bids.", htmx, status=400)
            preference = form.cleaned_data["preference"]
        try:
            services.place_bid(artifact, actor=request.viewer, preference=preference)
        except PermissionDenied as exc:
            return self._refuse(str(exc) or "You cannot bid on this artifact.", htmx)
        number = artifact.submission.number
        if not htmx:
            if preference == enums.BidPreference.CONFLICT:
                messages.success(request, f"Conflict declared on #{number}; it is hidden now.")
            else:
                messages.success(request, f"Bid on #{number} saved.")
            return redirect(tables.back_to(request, self.bidding_url()))
        context = {
            **self.row_context(),
            "conference": self.conference,
            "progress": queries.bid_progress(request.user, self.conference),
            "oob": True,
            "next_url": tables.back_to(request, self.bidding_url()),
        }
        if preference == enums.BidPreference.CONFLICT:
            context["number"] = number
            template = "artifacts/assignment/_conflicted.html"
        else:
            fresh = queries.for_bidding(request.user, self.conference).get(pk=artifact.pk)
            context["row"] = bid_rows([fresh], context["profile"])[0]
            context["saved"] = True
            template = "artifacts/assignment/_bid_row.html"
        return HttpResponse(render_to_string(template, context, request=request))

    def _refuse(self, message: str, htmx: bool, status: int = 403):
        messages.error(self.request, message)
        if htmx:
            response = HttpResponse(message, status=status)
            response["HX-Refresh"] = "true"
            return response
        return redirect(tables.back_to(self.request, self.bidding_url()))


class MyArtifactsView(EvaluatorMixin, TemplateView):
    template_name = "artifacts/assignment/mine.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conflicted = conflicted_artifact_submission_ids(self.request.viewer, self.conference)
        rows = []
        for assignment in queries.my_assignments(self.request.user, self.conference):
            rows.append(
                {
                    "assignment": assignment,
                    "artifact": assignment.artifact,
                    "conflicted": assignment.artifact.submission_id in conflicted,
                    "next": queries.next_step(assignment),
                }
            )
        context.update(
            rows=rows,
            detail_url=tables.row_url(
                "artifacts:detail", "number", conference=self.conference.slug
            ),
        )
        return context


# --- AE chairs ---------------------------------------------------------------------------------


class ChairMixin(ConferenceMixin):
    permission_required = "artifacts.manage_ae"

    def home_url(self) -> str:
        return reverse("artifacts:assignment", kwargs={"conference": self.conference.slug})

    def artifact_url(self, artifact) -> str:
        return reverse(
            "artifacts:assignment_artifact",
            kwargs={"conference": self.conference.slug, "number": artifact.submission.number},
        )

    @property
    def conflicted(self) -> frozenset[int]:
        return conflicted_artifact_submission_ids(self.request.viewer, self.conference)

    def get_artifact(self) -> Artifact:
        """The URL's artifact; 404 when the chair is conflicted with it."""
        artifact = get_object_or_404(
            Artifact.objects.select_related("submission"),
            conference=self.conference,
            submission__number=self.kwargs["number"],
        )
        artifact.conference = self.conference
        if not self.request.viewer.has_perm("artifacts.act_on_artifact", artifact):
            raise Http404("You are conflicted with this artifact.")
        return artifact


def chair_rows(pool: pools.Pool, conflicted) -> list[dict]:
    rows = []
    for artifact in pool.artifacts:
        hidden = artifact.submission_id in conflicted
        evaluators = []
        if not hidden:
            for a in pool.rows.get(artifact.pk, []):
                if a.removed_at is not None:
                    continue
                ok, reasons = pool.fit(artifact, a.evaluator_id)
                evaluators.append(
                    {
                        "assignment": a,
                        "fits": ok,
                        "why_not": reasons,
                        "bid": pool.bid(artifact, a.evaluator_id),
                        "conflicted": pool.is_conflicted(artifact, a.evaluator_id),
                    }
                )
        rows.append(
            {
                "artifact": artifact,
                "hidden": hidden,
                "needs": hardware.needs(artifact),
                "evaluators": evaluators,
                "live": len(pool.live(artifact)),
                "wanted": pool.settings.evaluators_per_artifact,
                "can_start": not hidden
                and artifact.status == enums.ArtifactStatus.SUBMITTED
                and len(pool.live(artifact)) >= pool.settings.evaluators_per_artifact,
            }
        )
    return rows


class AssignmentView(ChairMixin, TemplateView):
    template_name = "artifacts/assignment/chair.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = tables.page_of(queries.chair_artifacts(self.conference), self.request)
        artifacts = list(page.object_list)
        for artifact in artifacts:
            artifact.conference = self.conference
        pool = pools.load(self.conference, artifacts)
        context.update(
            page_obj=page,
            rows=chair_rows(pool, self.conflicted),
            settings=pool.settings,
            evaluator_count=len(pool.evaluators),
            querystring=tables.query(self.request, exclude={"page"}),
            next_url=self.request.get_full_path(),
            artifact_url=tables.row_url(
                "artifacts:assignment_artifact", "number", conference=self.conference.slug
            ),
        )
        return context


class RunView(ChairMixin, TemplateView):
    """POST: solve now and show the preview (nothing is stored until it is confirmed)."""

    template_name = "artifacts/assignment/preview.html"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        proposal = solving.propose(self.conference, actor=request.viewer)
        pools.hide_loads(
            self.conference,
            {id(p.evaluator): p.evaluator for p in proposal.pairs}.values(),
            self.conflicted,
        )
        context = self.get_context_data(
            proposal=proposal,
            form=CommitForm(
                initial={
                    "pairs": " ".join(f"{a}:{u}" for a, u in proposal.pair_keys()),
                    "digest": proposal.digest,
                }
            ),
        )
        return self.render_to_response(context)


class CommitView(ChairMixin, View):
    def post(self, request, *args, **kwargs):
        form = CommitForm(request.POST)
        if not form.is_valid():
            messages.error(request, "The proposal is damaged; run the assignment again.")
            return redirect(self.home_url())
        try:
            created = solving.commit(
                self.conference,
                actor=request.viewer,
                pairs=form.cleaned_data["pairs"],
                digest=form.cleaned_data["digest"],
            )
        except ValidationError as exc:
            _error(request, exc)
            return redirect(self.home_url())
        messages.success(
            request, f"{created} assignment{pluralize(created)} made; the evaluators were emailed."
        )
        return redirect(self.home_url())


class StartKickTheTiresView(ChairMixin, View):
    """Start kick-the-tires for the posted artifacts (``artifact`` ids; every ready one when
    ``all`` is posted)."""

    def post(self, request, *args, **kwargs):
        qs = queries.chair_artifacts(self.conference)
        if request.POST.get("all"):
            chosen = list(qs.filter(status=enums.ArtifactStatus.SUBMITTED))
        else:
            ids = [int(v) for v in request.POST.getlist("artifact")[:1000] if v.isdigit()]
            chosen = list(qs.filter(pk__in=ids))
        for artifact in chosen:
            artifact.conference = self.conference
        started, skipped = services.start_kick_the_tires(chosen, actor=request.viewer)
        if started:
            numbers = ", ".join(f"#{a.submission.number}" for a in started)
            messages.success(request, f"Kick-the-tires started for {numbers}.")
        for artifact, why in skipped:
            messages.warning(request, f"#{artifact.submission.number} skipped: {why}")
        if not started and not skipped:
            messages.info(request, "No artifact was chosen.")
        return redirect(tables.back_to(request, self.home_url()))


class ArtifactAssignmentView(ChairMixin, TemplateView):
    """One artifact's evaluators: current (remove), retired, and those who may be added."""

    template_name = "artifacts/assignment/artifact.html"

    def candidates(self, artifact, pool):
        fitting, misfits = [], []
        for uid, evaluator in pool.evaluators.items():
            if pool.is_conflicted(artifact, uid):
                continue
            row = next((a for a in pool.rows.get(artifact.pk, []) if a.evaluator_id == uid), None)
            if row is not None and row.removed_at is None:
                continue
            ok, reasons = pool.fit(artifact, uid)
            entry = {
                "evaluator": evaluator,
                "bid": pool.bid(artifact, uid),
                "retired": row,
                "why_not": reasons,
            }
            (fitting if ok else misfits).append(entry)
        rank = {"eager": 0, "willing": 1, "": 2, "reluctant": 3}
        # By what the viewer may see of the load (pools.hide_loads), so the order does not
        # give away an assignment on an artifact they are conflicted with.
        fitting.sort(key=lambda e: (rank.get(e["bid"], 2), -_shown_capacity(e["evaluator"])))
        return fitting, misfits

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        artifact = self.get_artifact()
        pool = pools.load(self.conference, [artifact])
        pools.hide_loads(self.conference, pool.evaluators.values(), self.conflicted)
        fitting, misfits = self.candidates(artifact, pool)
        choices = add_choices(fitting, misfits)
        context.update(
            artifact=artifact,
            paper=artifact.submission,
            row=chair_rows(pool, frozenset())[0],
            retired=[a for a in pool.rows.get(artifact.pk, []) if a.removed_at is not None],
            fitting=fitting,
            misfits=misfits,
            conflicted_count=sum(1 for u in pool.evaluators if pool.is_conflicted(artifact, u)),
            form=form or AddEvaluatorForm(choices=choices),
            choices=choices,
        )
        return context


def _shown_capacity(evaluator) -> int:
    shown = evaluator.shown_load if evaluator.shown_load is not None else evaluator.load
    return max(evaluator.max_load - shown, 0)


def add_choices(fitting, misfits) -> list[tuple[int, str]]:
    """The add form's evaluators: those who fit first, then the misfits, marked."""
    return [(e["evaluator"].user.pk, e["evaluator"].name) for e in fitting] + [
        (e["evaluator"].user.pk, f"{e['evaluator'].name} (hardware does not fit)") for e in misfits
    ]


class AddEvaluatorView(ArtifactAssignmentView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        artifact = self.get_artifact()
        pool = pools.load(self.conference, [artifact])
        fitting, misfits = self.candidates(artifact, pool)
        choices = add_choices(fitting, misfits)
        form = AddEvaluatorForm(request.POST, choices=choices)
        if form.is_valid():
            evaluator = pool.evaluators[form.cleaned_data["evaluator"]].user
            try:
                assignment = services.add_evaluator(
                    artifact,
                    evaluator,
                    actor=request.viewer,
                    override=form.cleaned_data["override"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    f"{evaluator.name or evaluator.email} evaluates #{artifact.submission.number} "
                    f"as Evaluator {assignment.alias}.",
                )
                return redirect(self.artifact_url(artifact))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class RemoveEvaluatorView(ChairMixin, TemplateView):
    """GET: the confirmation naming the work (or straight back when there is none). POST:
    remove (``confirm=yes`` to retire an assignment with work)."""

    template_name = "artifacts/assignment/remove_confirm.html"

    def get_assignment(self, artifact) -> EvaluatorAssignment:
        assignment = get_object_or_404(
            EvaluatorAssignment.objects.live().select_related("evaluator"),
            artifact=artifact,
            pk=self.kwargs["pk"],
        )
        assignment.artifact = artifact
        return assignment

    def get(self, request, *args, **kwargs):
        artifact = self.get_artifact()
        assignment = self.get_assignment(artifact)
        work = services.work_on(assignment)
        if not work:
            return redirect(self.artifact_url(artifact))
        return self.render_to_response(
            self.get_context_data(artifact=artifact, assignment=assignment, work=work)
        )

    def post(self, request, *args, **kwargs):
        artifact = self.get_artifact()
        assignment = self.get_assignment(artifact)
        name = assignment.evaluator.name or assignment.evaluator.email
        try:
            outcome = services.remove_evaluator(
                assignment, actor=request.viewer, confirm=request.POST.get("confirm") == "yes"
            )
        except services.ConfirmationNeeded as exc:
            return self.render_to_response(
                self.get_context_data(artifact=artifact, assignment=assignment, work=exc.work)
            )
        except ValidationError as exc:
            _error(request, exc)
            return redirect(self.artifact_url(artifact))
        if outcome == "retired":
            messages.success(
                request,
                f"{name} is off #{artifact.submission.number}; what they wrote is kept.",
            )
        else:
            messages.success(request, f"{name} is off #{artifact.submission.number}.")
        return redirect(self.artifact_url(artifact))

"""Discussion leads (chairs: reviews:leads, reviews:lead_assign, reviews:leads_auto), the
meta-review page (reviews:meta_review: the paper's lead and chairs) and the lead's "Papers you
lead" page (reviews:leading: each paper they lead, its reviews so far and the state of their
meta-review; papers the viewer is conflicted with are never listed).

Papers a chair is conflicted with answer 404 on the per-paper pages and are left out of the
leads list and its CSV export (reviews:leads_export). The list shows 100 papers a page.
Writes go through reviews.meta.services.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from mlsys.conferences.enums import DeadlineKind, Side
from mlsys.conferences.mixins import ConferenceMixin
from mlsys.conferences.models import CommitteeMembership
from mlsys.core import tables
from reviews.enums import ReviewState
from reviews.meta import queries, services
from reviews.meta.forms import LeadForm, LeadsFilterForm, MetaReviewForm
from reviews.models import MetaReview
from reviews.response.views import add_form_errors as _add_errors
from reviews.rules import conflicted_submission_ids
from submissions.models import Submission


class LeadsMixin(ConferenceMixin):
    permission_required = "reviews.manage_reviews"

    def leads_url(self) -> str:
        return reverse("reviews:leads", kwargs={"conference": self.conference.slug})

    def hidden_ids(self) -> frozenset[int]:
        return conflicted_submission_ids(self.request.viewer, self.conference)

    def filtered(self, hidden: frozenset[int]):
        """(filter form, the papers it keeps as a queryset)."""
        form = LeadsFilterForm(self.request.GET, tracks=list(self.conference.tracks.all()))
        v = form.values()
        qs = queries.leads_table(
            self.conference,
            exclude_ids=hidden,
            q=v["q"] or "",
            track_id=v["track"],
            show=v["show"] or "",
        )
        return form, qs


class LeadsView(LeadsMixin, TemplateView):
    """100 papers a page, filtered on the server; row actions return to the same page."""

    template_name = "reviews/meta/leads.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request, slug = self.request, self.conference.slug
        hidden = self.hidden_ids()
        form, qs = self.filtered(hidden)
        page = tables.page_of(qs, request)
        papers = queries.with_leads(page.object_list)
        sides = dict(
            CommitteeMembership.objects.filter(
                conference=self.conference,
                user_id__in={a.reviewer_id for p in papers for a in p.reviewer_rows},
            )
            .exclude(side="")
            .values_list("user_id", "side")
        )
        for paper in papers:
            paper.reviewer_list = [
                (a.reviewer, Side(sides[a.reviewer_id]).label if a.reviewer_id in sides else "")
                for a in paper.reviewer_rows
            ]
        export = reverse("reviews:leads_export", kwargs={"conference": slug})
        context.update(
            papers=papers,
            page_obj=page,
            filter_form=form,
            querystring=tables.query(request, exclude={"page"}),
            export_url=f"{export}?{tables.query(request, exclude={'page'})}",
            without_lead=queries.leads_table(
                self.conference, exclude_ids=hidden, show="none"
            ).count(),
            hidden=bool(hidden),
            next_url=request.get_full_path(),
            paper_url=tables.row_url("reviews:paper", "number", conference=slug),
            assign_url=tables.row_url("reviews:lead_assign", "number", conference=slug),
            meta_url=tables.row_url("reviews:meta_review", "number", conference=slug),
        )
        return context


class LeadsExportView(LeadsMixin, View):
    """Every paper of the leads table (with the page's filters) as CSV; never the papers the
    chair is conflicted with."""

    def get(self, request, *args, **kwargs):
        _form, qs = self.filtered(self.hidden_ids())
        return tables.csv_response(
            f"{self.conference.slug}-leads",
            [
                "number",
                "title",
                "track",
                "reviewers",
                "lead",
                "lead_email",
                "meta_review",
                "recommendation",
            ],
            queries.leads_export_rows(qs),
        )


class AutoAssignLeadsView(LeadsMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        result = services.auto_assign_leads(self.conference, actor=request.viewer)
        count = len(result.assigned)
        messages.success(request, f"Assigned a lead to {count} paper{pluralize(count)}.")
        if result.without_candidates:
            numbers = ", ".join(f"#{n}" for n in result.without_candidates)
            messages.warning(
                request,
                f"No eligible reviewer (PC member or area chair without a conflict) for: "
                f"{numbers}. Assign those by hand.",
            )
        return redirect(tables.back_to(request, self.leads_url()))


class AssignLeadView(LeadsMixin, TemplateView):
    template_name = "reviews/meta/assign_lead.html"

    def get_paper(self) -> Submission:
        paper = get_object_or_404(
            self.conference.submissions.active().select_related("track", "meta_review__lead"),
            number=self.kwargs["number"],
        )
        if not self.request.viewer.has_perm("reviews.assign_lead", paper):
            raise Http404
        return paper

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        paper = self.get_paper()
        form = form or LeadForm(candidates=services.lead_candidates(paper))
        meta = MetaReview.objects.filter(submission=paper).select_related("lead").first()
        context.update(
            paper=paper, form=form, meta=meta, back=tables.back_to(self.request, self.leads_url())
        )
        return context

    def post(self, request, *args, **kwargs):
        paper = self.get_paper()
        form = LeadForm(request.POST, candidates=services.lead_candidates(paper))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            services.assign_lead(paper, lead=form.chosen(), actor=request.viewer)
        except ValidationError as error:
            form.add_error("lead", error.messages)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, f"{form.chosen()} now leads the discussion of #{paper.number}.")
        return redirect(tables.back_to(request, self.leads_url()))


class MetaReviewView(ConferenceMixin, TemplateView):
    """The lead's (and chairs') meta-review page; 404 for everybody else."""

    # The lead (not conflicted) or a non-conflicted chair, checked on the paper.
    permission_required = "reviews.open_meta_review"
    template_name = "reviews/meta/meta_review.html"

    def get_paper(self) -> Submission:
        if not hasattr(self, "_paper"):
            self._paper = get_object_or_404(
                self.conference.submissions.select_related("track"),
                number=self.kwargs["number"],
            )
        return self._paper

    def get_permission_object(self) -> Submission:
        return self.get_paper()

    def get_meta(self) -> MetaReview:
        meta = MetaReview.objects.filter(submission=self.get_paper()).select_related("lead").first()
        if meta is None:
            raise Http404  # only chairs get here without a lead: they assign one first
        meta.submission = self.get_paper()
        return meta

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        meta = self.get_meta()
        editable = services.can_edit(self.request.viewer, meta)
        if editable and form is None:
            form = MetaReviewForm(
                initial={
                    "summary": meta.summary,
                    "recommendation": meta.recommendation,
                    "confidence": meta.confidence,
                }
            )
        review_due = self.conference.deadline_map().get(DeadlineKind.REVIEW)
        context.update(
            paper=self.get_paper(),
            meta=meta,
            form=form if editable else None,
            editable=editable,
            submitted=meta.state == ReviewState.SUBMITTED,
            started=services.discussion_started(self.conference),
            review_due=review_due,
            is_lead=meta.lead_id == self.request.user.pk,
        )
        return context

    def post(self, request, *args, **kwargs):
        meta = self.get_meta()
        form = MetaReviewForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        submit = request.POST.get("action") == "submit" or meta.state == ReviewState.SUBMITTED
        try:
            services.write_meta_review(
                meta,
                actor=request.viewer,
                summary=form.cleaned_data["summary"],
                recommendation=form.cleaned_data["recommendation"],
                confidence=form.cleaned_data["confidence"],
                submit=submit,
            )
        except PermissionDenied:
            messages.error(request, "You cannot write this meta-review now; nothing was saved.")
            return redirect(request.path)
        except ValidationError as error:
            _add_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, "Meta-review submitted." if submit else "Draft saved.")
        return redirect(request.path)


class LeadingView(ConferenceMixin, TemplateView):
    # Reviewing roles, like "My reviews": leads are PC members and area chairs; anyone else in
    # a reviewing role simply leads nothing.
    permission_required = "reviews.edit_reviewer_profile"
    template_name = "reviews/meta/leading.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        metas = list(
            queries.led_meta_reviews(
                user,
                self.conference,
                exclude_ids=conflicted_submission_ids(self.request.viewer, self.conference),
            )
        )
        context.update(
            metas=metas,
            to_write=sum(1 for m in metas if m.state != ReviewState.SUBMITTED),
            started=services.discussion_started(self.conference),
            decisions_released=bool(self.conference.decisions_released_at),
        )
        return context

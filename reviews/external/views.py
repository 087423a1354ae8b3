"""External reviewer requests: a reviewer of a paper asks for an outside expert; chairs decide.

The chairs' list leaves out papers the chair is conflicted with (a request names a reviewer).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from mlsys.conferences.mixins import ConferenceMixin
from reviews.enums import ExternalRequestState
from reviews.external import services as external
from reviews.external.forms import ExternalDecisionForm, ExternalRequestForm
from reviews.external.queries import pending_conflicts
from reviews.models import ExternalReviewRequest
from reviews.reviewing.views import ReviewerPaperMixin
from reviews.rules import conflicted_submission_ids


class ExternalRequestView(ReviewerPaperMixin, TemplateView):
    template_name = "reviews/external/request.html"

    def get(self, request, *args, **kwargs):
        self.load_assignment()
        return self.render_to_response(self.get_context_data(form=ExternalRequestForm()))

    def post(self, request, *args, **kwargs):
        self.load_assignment()
        form = ExternalRequestForm(request.POST)
        if form.is_valid():
            try:
                external.request_external_reviewer(
                    self.submission, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                for field, msgs in error.message_dict.items():
                    for message in msgs:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(
                    request, "Your request was sent to the chairs; you will get an email."
                )
                return redirect("reviews:my_papers", conference=self.conference.slug)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["submission"] = self.submission
        context["my_requests"] = ExternalReviewRequest.objects.filter(
            submission=self.submission, requested_by=self.request.user
        ).order_by("-created_at")
        return context


def _visible_requests(user, conference):
    conflicted = conflicted_submission_ids(user, conference)
    return (
        ExternalReviewRequest.objects.filter(submission__conference=conference)
        .exclude(submission_id__in=conflicted)
        .select_related("submission", "requested_by", "decided_by", "reviewer")
        .order_by("state", "-created_at")
    )


class ExternalRequestsView(ConferenceMixin, TemplateView):
    """Chairs: pending requests with approve/decline, then the decided ones."""

    permission_required = "reviews.manage_reviews"
    template_name = "reviews/external/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        requests = list(_visible_requests(self.request.viewer, self.conference))
        pending = [r for r in requests if r.state == ExternalRequestState.PENDING]
        warnings = pending_conflicts(pending)
        context.update(
            pending=[(r, warnings.get(r.pk, ""), ExternalDecisionForm()) for r in pending],
            decided=[r for r in requests if r.state != ExternalRequestState.PENDING],
        )
        return context


class ExternalDecideView(ConferenceMixin, View):
    permission_required = "reviews.manage_reviews"

    def post(self, request, *args, **kwargs):
        req = get_object_or_404(
            _visible_requests(request.viewer, self.conference), pk=self.kwargs["pk"]
        )
        form = ExternalDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose approve or decline.")
        else:
            data = form.cleaned_data
            try:
                if data["action"] == "approve":
                    external.approve_external_request(
                        req, actor=request.user, side=data["side"] or "BOTH"
                    )
                    messages.success(request, f"Approved: {req.name} was invited.")
                else:
                    external.decline_external_request(req, actor=request.user, note=data["note"])
                    messages.success(request, f"Declined the request for {req.name}.")
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        return redirect("reviews:external_requests", conference=self.conference.slug)

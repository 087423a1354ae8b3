"""The per-paper reviewing page for the committee: reviews (per the visibility rules), score
summary, helpfulness ratings and the discussion (comments, follow).

Every endpoint resolves the paper through :class:`PaperMixin`, which answers 404 to anyone
without ``reviews.view_discussion`` on it: conflicted chairs and PC members, the paper's
authors, external reviewers of other papers, outsiders. Which parts of the page a viewer sees
is decided in :mod:`reviews.discussion.page`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from mlsys.conferences.mixins import ConferenceMixin
from reviews.discussion import page as paper_page
from reviews.discussion import queries, services
from reviews.discussion.forms import CommentEditForm, CommentForm, RatingForm
from reviews.discussion.naming import Naming
from reviews.discussion.rules import postable_levels
from reviews.models import Review, ReviewRating
from submissions.enums import Status


class PaperMixin(ConferenceMixin):
    permission_required = "reviews.view_discussion"

    def get_permission_object(self):
        if not hasattr(self, "submission"):
            # Through the conference's own manager: each paper's .conference is that instance,
            # with its prefetched schedule.
            self.submission = get_object_or_404(
                self.conference.submissions.exclude(status=Status.DRAFT)
                # "response": the page shows the submitted author response without a query.
                .select_related("track", "response"),
                number=self.kwargs["number"],
            )
        return self.submission

    def paper_url(self, anchor: str = "") -> str:
        url = reverse(
            "reviews:paper",
            kwargs={"conference": self.conference.slug, "number": self.submission.number},
        )
        return f"{url}#{anchor}" if anchor else url

    def require(self, perm: str, obj) -> None:
        if not self.viewer.has_perm(perm, obj):
            raise Http404

    @property
    def is_htmx(self) -> bool:
        return self.request.headers.get("HX-Request") == "true"


class PaperView(PaperMixin, TemplateView):
    template_name = "reviews/paper/page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(paper_context(self.viewer, self.submission, self.conference))
        if "comment_form" not in kwargs and context["page"].postable:
            context["comment_form"] = CommentForm(levels=context["page"].postable)
        return context


def paper_context(user, submission, conference) -> dict:
    page = paper_page.build(user, submission)
    show_authors = page.is_chair or not submission.track.is_anonymous
    return {
        "submission": submission,
        "page": page,
        "topics": list(submission.topics.all()),
        "authors": list(submission.authors.order_by("order")) if show_authors else [],
        "show_affiliations": page.is_chair or not submission.track.hides_affiliations,
        "rating_choices": ReviewRating.Helpfulness.choices,
    }


class CommentCreateView(PaperMixin, View):
    def post(self, request, *args, **kwargs):
        levels = postable_levels(self.viewer, self.submission)
        if not levels:
            raise Http404
        form = CommentForm(request.POST, levels=levels)
        if form.is_valid():
            try:
                comment, resolution = services.post_comment(
                    author=self.viewer,
                    submission=self.submission,
                    body=form.cleaned_data["body"],
                    visibility=form.cleaned_data["visibility"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                _report_mentions(request, resolution)
                messages.success(request, "Comment posted.")
                return redirect(self.paper_url(f"comment-{comment.pk}"))
        context = {
            "conference": self.conference,
            "comment_form": form,
            **paper_context(self.viewer, self.submission, self.conference),
        }
        return render(request, "reviews/paper/page.html", context, status=400)


class CommentMixin(PaperMixin):
    def get_comment(self):
        return get_object_or_404(
            queries.comments_visible_to(self.viewer, self.submission),
            pk=self.kwargs["pk"],
        )


class CommentEditView(CommentMixin, TemplateView):
    template_name = "reviews/paper/comment_edit.html"

    def get(self, request, *args, **kwargs):
        comment = self.get_comment()
        self.require("reviews.edit_comment", comment)
        form = CommentEditForm(initial={"body": comment.body})
        return self.render_to_response(self.get_context_data(comment=comment, form=form))

    def post(self, request, *args, **kwargs):
        comment = self.get_comment()
        self.require("reviews.edit_comment", comment)
        form = CommentEditForm(request.POST)
        if form.is_valid():
            try:
                comment, resolution = services.edit_comment(
                    user=self.viewer, comment=comment, body=form.cleaned_data["body"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                _report_mentions(request, resolution)
                messages.success(request, "Comment updated.")
                return redirect(self.paper_url(f"comment-{comment.pk}"))
        context = self.get_context_data(comment=comment, form=form)
        return self.render_to_response(context, status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["submission"] = self.submission
        return context


class CommentDeleteView(CommentMixin, View):
    def post(self, request, *args, **kwargs):
        comment = self.get_comment()
        self.require("reviews.delete_comment", comment)
        try:
            services.delete_comment(user=self.viewer, comment=comment)
        except PermissionDenied as error:
            raise Http404 from error
        messages.success(request, "Comment deleted.")
        return redirect(self.paper_url("discussion"))


class FollowView(PaperMixin, View):
    """Follow or unfollow (``action`` = follow / unfollow); htmx gets the button back."""

    def post(self, request, *args, **kwargs):
        self.require("reviews.follow_paper", self.submission)
        if request.POST.get("action") == "unfollow":
            services.unfollow(user=self.viewer, submission=self.submission)
            following = False
        else:
            services.follow(user=self.viewer, submission=self.submission)
            following = True
        if self.is_htmx:
            html = render_to_string(
                "reviews/paper/_follow.html",
                {
                    "conference": self.conference,
                    "submission": self.submission,
                    "following": following,
                },
                request=request,
            )
            return HttpResponse(html)
        messages.success(
            request,
            "You follow this paper's discussion." if following else "You no longer follow it.",
        )
        return redirect(self.paper_url("discussion"))


class RateView(PaperMixin, View):
    """Set the viewer's helpfulness rating of one review; htmx gets the controls back."""

    def post(self, request, *args, **kwargs):
        review = get_object_or_404(
            Review.objects.select_related("submission", "reviewer"),
            pk=self.kwargs["pk"],
            submission=self.submission,
        )
        self.require("reviews.rate_review", review)
        form = RatingForm(request.POST)
        if not form.is_valid():
            return HttpResponse("Choose one of the ratings.", status=400)
        rating = services.rate_review(
            rater=self.viewer, review=review, helpfulness=form.cleaned_data["helpfulness"]
        )
        if self.is_htmx:
            naming = Naming.for_viewer(self.viewer, self.submission)
            html = render_to_string(
                "reviews/paper/_rating.html",
                {
                    "conference": self.conference,
                    "submission": self.submission,
                    "card": paper_page.ReviewCard(
                        review=review,
                        label=naming.name(review.reviewer),
                        side="",
                        is_own=False,
                        can_rate=True,
                        my_rating=rating,
                    ),
                    "rating_choices": ReviewRating.Helpfulness.choices,
                    "saved": True,
                },
                request=request,
            )
            return HttpResponse(html)
        messages.success(request, "Rating saved.")
        return redirect(self.paper_url(f"review-{review.pk}"))


def _report_mentions(request, resolution) -> None:
    for target in resolution.unknown:
        messages.warning(request, f"No committee member is called @{target}; nobody was notified.")
    for target in resolution.ambiguous:
        messages.warning(
            request, f"@{target} matches several members; mention them by email (@name@host)."
        )

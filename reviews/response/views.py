"""The authors' reviews-and-response page (reviews:response) and its autosave endpoint.

Only the paper's authors (any co-author with a linked account) reach it; everyone else gets
404, anonymous visitors a login redirect. Reviews show only author-visible answers under
"Reviewer A/B/..." labels, and only while reviews are open to authors (response phase or after
decisions are released). Writes go through reviews.response.services.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.generic import TemplateView

from mlsys.conferences.enums import DeadlineKind
from mlsys.conferences.mixins import ConferenceMixin
from mlsys.core.errors import Conflict
from reviews.discussion import mentions
from reviews.discussion.naming import Naming
from reviews.discussion.queries import comments_visible_to
from reviews.enums import CommentVisibility, ResponseState, ReviewState
from reviews.models import MetaReview
from reviews.response import services
from reviews.response.forms import ResponseForm, initial_for
from reviews.response.queries import author_reviews, response_of
from reviews.review_forms import AUTHOR_LEVELS, levels_for
from submissions import enums as sub_enums
from submissions.models import Submission


class AuthorPaperMixin(ConferenceMixin):
    # Checked on the paper: the page exists only for the paper's authors.
    permission_required = "reviews.act_as_paper_author"

    def get_paper(self) -> Submission:
        if not hasattr(self, "_paper"):
            self._paper = get_object_or_404(
                self.conference.submissions.select_related("track"),
                number=self.kwargs["number"],
            )
        return self._paper

    def get_permission_object(self) -> Submission:
        return self.get_paper()

    def page_url(self) -> str:
        return reverse(
            "reviews:response",
            kwargs={"conference": self.conference.slug, "number": self.kwargs["number"]},
        )


class ResponseView(AuthorPaperMixin, TemplateView):
    template_name = "reviews/response/page.html"

    def get_context_data(self, form=None, conflict=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user, paper = self.request.viewer, self.get_paper()
        open_to_authors = user.has_perm("reviews.view_reviews_as_author", paper)
        reviews = (
            author_reviews(paper, levels_for(user, paper) & AUTHOR_LEVELS)
            if open_to_authors
            else []
        )
        response = response_of(paper)
        author_comments = []
        if open_to_authors:
            # "Authors too" comments, under the same aliases as the reviews ("Reviewer B").
            naming = Naming.for_viewer(user, paper, hide_names=True)
            author_comments = list(
                comments_visible_to(user, paper).filter(visibility=CommentVisibility.AUTHORS)
            )
            members = mentions.directory(paper.conference) if author_comments else None
            for comment in author_comments:
                comment.display_author = naming.alias(comment.author_id)
                comment.display_body = naming.comment_body(comment, members)
        can_write = open_to_authors and (
            paper.status in sub_enums.ACTIVE and user.has_perm("reviews.write_response", paper)
        )
        if can_write and form is None:
            form = ResponseForm(initial=initial_for(response, reviews), reviews=reviews)
        deadlines = self.conference.deadline_map()
        context.update(
            paper=paper,
            open_to_authors=open_to_authors,
            author_comments=author_comments,
            reviews=reviews,
            response=response,
            sections=_sections(response, reviews),
            can_write=can_write,
            form=form if can_write else None,
            conflict=conflict,
            submitted=bool(response and response.state == ResponseState.SUBMITTED),
            word_limit=self.conference.response_word_limit,
            words=services.count_words(response.text, response.per_review) if response else 0,
            response_opens=deadlines.get(DeadlineKind.RESPONSE_OPEN),
            response_closes=deadlines.get(DeadlineKind.RESPONSE_CLOSE),
            decisions_released=bool(self.conference.decisions_released_at)
            or paper.status in (sub_enums.Status.ACCEPTED, sub_enums.Status.REJECTED),
            meta_summary=_released_meta_summary(user, paper) if open_to_authors else None,
        )
        return context

    def post(self, request, *args, **kwargs):
        paper = self.get_paper()
        reviews = (
            author_reviews(paper)
            if request.viewer.has_perm("reviews.view_reviews_as_author", paper)
            else []
        )
        form = ResponseForm(request.POST, reviews=reviews)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        action = request.POST.get("action")
        write = services.submit if action == "submit" else services.save_draft
        try:
            write(
                paper,
                actor=request.viewer,
                text=form.cleaned_data["text"],
                per_review=form.per_review(),
                version=form.cleaned_data["version"],
            )
        except PermissionDenied:
            messages.error(request, "The response period is closed; nothing was saved.")
            return redirect(self.page_url())
        except Conflict as conflict:
            data = request.POST.copy()
            data["version"] = conflict.current["version"]
            form = ResponseForm(data, reviews=reviews)
            form.is_valid()
            return self.render_to_response(
                self.get_context_data(form=form, conflict=conflict), status=409
            )
        except ValidationError as error:
            add_form_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        if action == "submit":
            messages.success(request, "Your response was submitted; the reviewers were notified.")
        else:
            messages.success(request, "Draft saved.")
        return redirect(self.page_url())


class ResponseAutosaveView(AuthorPaperMixin, TemplateView):
    """htmx target: save a draft without reloading; answers a small status fragment that also
    updates the form's version (out-of-band swap)."""

    http_method_names = ["post"]
    template_name = "reviews/response/_autosave.html"

    def post(self, request, *args, **kwargs):
        paper = self.get_paper()
        if not request.viewer.has_perm("reviews.view_reviews_as_author", paper):
            raise Http404
        form = ResponseForm(request.POST, reviews=author_reviews(paper))
        context = {"saved": None, "problem": ""}
        if not form.is_valid():
            context["problem"] = "This draft could not be read; use “Save draft”."
            return render(request, self.template_name, context)
        try:
            context["saved"] = services.save_draft(
                paper,
                actor=request.viewer,
                text=form.cleaned_data["text"],
                per_review=form.per_review(),
                version=form.cleaned_data["version"],
            )
        except PermissionDenied:
            context["problem"] = "The response period is closed; this draft was not saved."
        except Conflict:
            context["problem"] = (
                "A co-author changed this response in the meantime. Copy your text, "
                "then reload the page."
            )
        except ValidationError as error:
            context["problem"] = " ".join(error.messages)
        return render(request, self.template_name, context)


def add_form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: per field where it names one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _sections(response, reviews) -> list[tuple[str, str]]:
    """The stored per-review sections as (label, text), in review order."""
    if response is None:
        return []
    return [
        (r.label, response.per_review[str(r.review_id)])
        for r in reviews
        if response.per_review.get(str(r.review_id))
    ]


def _released_meta_summary(viewer, paper) -> str | None:
    """The meta-review's summary, for authors only once the paper's decision (or the whole
    conference's) is released (reviews.read_meta_review_summary)."""
    meta = MetaReview.objects.filter(submission=paper, state=ReviewState.SUBMITTED).first()
    if meta is None:
        return None
    meta.submission = paper
    if not viewer.has_perm("reviews.read_meta_review_summary", meta):
        return None
    return meta.summary or None

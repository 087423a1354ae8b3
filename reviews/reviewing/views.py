"""The review page: the paper beside the form (and, once submitted, the author response above
it), autosaved drafts, submit, revisions, decline; and the reviewer's "My reviews" page (their
released, live assignments with the state of each review, the deadline and what remains).

Only a reviewer of the paper (released, not declined, not conflicted: reviews.write_review)
reaches these pages; everyone else gets 404, anonymous visitors a login redirect. Author
identities are never shown while the paper's track is anonymous. My reviews never shows
unreleased or declined assignments, other people's assignments or papers the reviewer is
conflicted with.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from mlsys.conferences.enums import DeadlineKind
from mlsys.conferences.mixins import ConferenceMixin
from mlsys.core import files
from mlsys.core.errors import Conflict
from mlsys.core.markdown import render as render_markdown
from reviews.discussion.queries import reviewer_letters, submitted_response
from reviews.enums import FieldKind, ReviewState
from reviews.lateness import days_late, late_by
from reviews.meta.queries import led_submission_ids
from reviews.models import Review
from reviews.review_forms import active_fields, choice_values, display_value, form_for
from reviews.reviewing import services
from reviews.reviewing.forms import DeclineForm
from reviews.reviewing.queries import SUBMITTED, live_assignment, my_review_rows, revision_history
from reviews.reviewing.services import writing_closed_reason
from reviews.rules import conflicted_submission_ids


class ReviewerPaperMixin(ConferenceMixin):
    """Resolves ``self.submission`` from the URL number and ``self.assignment`` (the user's
    live assignment); the permission is checked on the submission."""

    permission_required = "reviews.write_review"

    def get_permission_object(self):
        # Through the conference's manager: the paper's .conference is the request's instance
        # (its prefetched deadlines and phase switches).
        self.submission = get_object_or_404(
            self.conference.submissions.select_related(
                "track", "reviewer_paper", "response"
            ).prefetch_related("topics"),
            number=self.kwargs["number"],
        )
        return self.submission

    def load_assignment(self):
        assignment = live_assignment(self.request.user, self.submission)
        if assignment is None:
            raise Http404
        self.assignment = assignment
        self.review = getattr(assignment, "review", None)
        return assignment

    def review_form(self):
        return self.review.form if self.review else form_for(self.submission)

    def posted_answers(self) -> dict:
        form = self.review_form()
        return {field.key: self.request.POST.get(field.key, "") for field in active_fields(form)}

    def posted_version(self) -> int:
        try:
            return int(self.request.POST.get("version", ""))
        except ValueError:
            return -1


def _error_dict(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {"__all__": error.messages}


#: The message after a write, by :class:`~reviews.reviewing.services.Written` outcome.
SAVED_MESSAGES = {
    "saved": lambda written: "Draft saved.",
    "submitted": lambda written: "Review submitted. Thank you!",
    "revised": lambda written: f"Review updated (revision {written.revision.number}).",
    "unchanged": lambda written: "Nothing changed.",
}


class ReviewView(ReviewerPaperMixin, TemplateView):
    template_name = "reviews/review/page.html"

    def get(self, request, *args, **kwargs):
        self.load_assignment()
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.load_assignment()
        answers = self.posted_answers()
        action = request.POST.get("action", "save")
        try:
            written = services.write_review(
                self.assignment,
                actor=request.viewer,
                answers=answers,
                expected_version=self.posted_version(),
                submit=action == "submit",
            )
        except Conflict as conflict:
            self.load_assignment()
            context = self.get_context_data(stale_message=str(conflict))
            return self.render_to_response(context, status=409)
        except ValidationError as error:
            # A failed submit keeps the draft just saved; show the posted values and messages.
            self.load_assignment()
            context = self.get_context_data(errors=_error_dict(error), values=answers)
            return self.render_to_response(context, status=400)
        messages.success(request, SAVED_MESSAGES[written.outcome](written))
        return redirect(self.request.path)

    def get_context_data(self, *, errors=None, values=None, stale_message="", **kwargs):
        context = super().get_context_data(**kwargs)
        submission, review = self.submission, self.review
        form = self.review_form()
        values = values if values is not None else (review.answers if review else {})
        errors = errors or {}
        labels = {f.key: f.label for f in form.fields.all()}
        # The version reviewers get: never one that failed anonymity unless a chair released it.
        current = submission.reviewer_paper
        if current is not None:
            current.submission = submission  # reviewer_file reads the track; no extra query
        # Anonymous tracks: only the anonymised copy is served; no copy yet means no link.
        paper_file = current if current is not None and current.reviewer_file else None
        context.update(
            submission=submission,
            track=submission.track,
            show_authors=not submission.track.is_anonymous,
            authors=list(submission.authors.all()) if not submission.track.is_anonymous else [],
            pdf_url=files.url_for("review-copy", paper_file) if paper_file else "",
            pdf_download_url=(
                files.url_for("review-copy", paper_file, download=True) if paper_file else ""
            ),
            paper_uploaded=bool(submission.current_paper_id),
            # Uploaded, but no version passed the anonymity check or was released by a chair.
            paper_withheld=bool(submission.current_paper_id and current is None),
            paper_released=bool(paper_file is not None and paper_file.released_at),
            review=review,
            version=review.version if review else 0,
            is_submitted=bool(review and review.state == ReviewState.SUBMITTED),
            fields=[
                _field_row(f, values.get(f.key), errors.get(f.key, [])) for f in active_fields(form)
            ],
            form_errors=errors.get("__all__", []),
            has_errors=bool(errors),
            stale_message=stale_message,
            closed_reason=services.writing_closed_reason(self.conference, submission),
            deadline=self.conference.deadline_map().get(DeadlineKind.REVIEW),
            revisions=[
                {"revision": r, "labels": [labels.get(key, key) for key in r.changed_fields]}
                for r in (revision_history(review) if review else [])
            ],
            can_decline=review is None,
            storage_key=f"review:{self.conference.slug}:{submission.number}:{self.request.user.pk}",
            **_author_response(submission, review, self.request.user),
        )
        return context


def _author_response(submission, review, user) -> dict:
    """The submitted author response as this reviewer reads it beside their form: the general
    text and the section addressed to their own review (with its "Reviewer X" label)."""
    response = submitted_response(submission)
    if response is None:
        return {"author_response": None, "response_section": "", "response_label": ""}
    section = (response.per_review or {}).get(str(review.pk), "") if review else ""
    letter = reviewer_letters(submission).get(user.pk, "?") if section else ""
    return {
        "author_response": response,
        "response_section": section,
        "response_label": f"Reviewer {letter}" if section else "",
    }


def _field_row(field, value, errors) -> dict:
    options = []
    if field.kind == FieldKind.SCORE:
        options = [(str(p["value"]), p.get("label", "")) for p in field.scale]
    elif field.kind == FieldKind.CHOICE:
        labels = {
            str(c["value"]): c.get("label", c["value"])
            for c in field.choices
            if isinstance(c, dict)
        }
        options = [(v, labels.get(v, v)) for v in choice_values(field)]
    return {
        "field": field,
        "value": "" if value is None else str(value),
        "errors": errors,
        "options": options,
    }


class AutosaveView(ReviewerPaperMixin, View):
    """htmx endpoint: save the draft, answer a small status (and the new version, out of band).
    Always 200 so htmx swaps the message in, whatever happened."""

    def post(self, request, *args, **kwargs):
        self.load_assignment()
        context = {"conference": self.conference}
        try:
            written = services.write_review(
                self.assignment,
                actor=request.viewer,
                answers=self.posted_answers(),
                expected_version=self.posted_version(),
            )
            context.update(saved_at=timezone.now(), version=written.review.version)
        except Conflict as conflict:
            context.update(stale_message=str(conflict))
        except ValidationError as error:
            labels = {f.key: f.label for f in active_fields(self.review_form())}
            context.update(
                errors=[
                    f"{labels.get(key, '')}: {' '.join(msgs)}" if key in labels else " ".join(msgs)
                    for key, msgs in _error_dict(error).items()
                ]
            )
        return HttpResponse(render_to_string("reviews/review/_status.html", context, request))


class PreviewView(ReviewerPaperMixin, View):
    """htmx endpoint: the server-side rendering (sanitised Markdown + math) of one text field."""

    def post(self, request, *args, **kwargs):
        self.load_assignment()
        text = request.POST.get(request.POST.get("field", ""), "")
        html = render_markdown(text[:20_000]) or '<p class="muted">Nothing to preview.</p>'
        return HttpResponse(html)


class DeclineView(ReviewerPaperMixin, TemplateView):
    template_name = "reviews/review/decline.html"

    def get(self, request, *args, **kwargs):
        self.load_assignment()
        return self.render_to_response(self.get_context_data(form=DeclineForm()))

    def post(self, request, *args, **kwargs):
        self.load_assignment()
        form = DeclineForm(request.POST)
        if form.is_valid():
            try:
                services.decline_assignment(
                    self.assignment, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request, f"You declined paper #{self.submission.number}. The chairs were told."
                )
                return redirect("reviews:my_papers", conference=self.conference.slug)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(submission=self.submission, started=self.review is not None)
        return context


class HistoryView(LoginRequiredMixin, ConferenceMixin, TemplateView):
    """A review's revisions (what changed, when; post-response ones marked): for its author and
    the paper's non-conflicted chairs."""

    template_name = "reviews/review/history.html"

    def get_permission_object(self):
        return self.conference

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review = get_object_or_404(
            Review.objects.select_related("submission__track", "reviewer", "form"),
            pk=self.kwargs["pk"],
            submission__conference=self.conference,
            submission__number=self.kwargs["number"],
        )
        user = self.request.viewer
        if not user.has_perm("reviews.view_review_history", review):
            raise Http404
        own = user.has_perm("reviews.revise_own_review", review)
        fields = {f.key: f for f in review.form.fields.all()}
        context.update(
            review=review,
            submission=review.submission,
            own=own,
            revisions=[
                {
                    "revision": r,
                    "changes": [
                        _change(fields.get(key), key, r.answers.get(key))
                        for key in r.changed_fields
                    ],
                }
                for r in revision_history(review)
            ],
            review_url=reverse(
                "reviews:review",
                kwargs={"conference": self.conference.slug, "number": review.submission.number},
            ),
        )
        return context


def _change(field, key: str, value) -> dict:
    if field is None:
        return {"label": key, "value": "" if value is None else str(value), "markdown": False}
    return {
        "label": field.label,
        "value": display_value(field, value),
        "markdown": field.kind == FieldKind.TEXT,
    }


class MyPapersView(ConferenceMixin, TemplateView):
    # Reviewing roles (PC members, area chairs, external reviewers): the same predicate as the
    # reviewer profile.
    permission_required = "reviews.edit_reviewer_profile"
    template_name = "reviews/my_papers.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = my_review_rows(self.request.viewer, self.conference)
        deadline = self.conference.deadline_map().get(DeadlineKind.REVIEW)
        now = timezone.now()
        for row in rows:
            # Unfinished reviews are late from the deadline on; submitted ones if they came in
            # after it.
            finished_at = row.review.submitted_at if row.status == SUBMITTED else now
            row.late_days = days_late(deadline.at if deadline else None, finished_at)
            row.late_by = late_by(deadline.at if deadline else None, finished_at)
        # Like "Papers you lead": never a paper the lead has become conflicted with.
        led = led_submission_ids(self.request.user, self.conference) - conflicted_submission_ids(
            self.request.viewer, self.conference
        )
        for row in rows:
            row.is_lead = row.assignment.submission_id in led
        context.update(
            rows=rows,
            assignments=[row.assignment for row in rows],
            submitted_count=sum(1 for row in rows if row.status == SUBMITTED),
            deadline=deadline,
            late_count=sum(1 for row in rows if row.late_by and row.status != SUBMITTED),
            leading_count=len(led),
            closed_reason=writing_closed_reason(self.conference),
        )
        return context

"""The program chairs' submission pages: the list (search, filters, counts, bulk actions,
export) and one submission's management page (files, history, conflicts, desk reject, release
of a version that failed the anonymity check to its reviewers).

Everything here reveals author identities: every view requires
``submissions.manage_submissions`` on the conference and answers 404 to anyone else.
"""

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from mlsys.conferences.mixins import ChairMixin
from mlsys.core import files
from submissions import chair_services, conflict_services, enums, exports, queries
from submissions.chair_forms import (
    BulkActionForm,
    ConflictStateForm,
    DeskRejectForm,
    ReleaseForm,
)
from submissions.conflicts import schedule_recompute
from submissions.filters import SubmissionFilter
from submissions.models import Conflict, Submission
from submissions.services import allowed_transitions, change_status, release_to_reviewers
from submissions.views.report import present_report

PAGE_SIZE = 100
#: Sortable columns of the list: (sort key, header text).
COLUMNS = [
    ("number", "#"),
    ("title", "Title"),
    ("track", "Track"),
    ("status", "Status"),
    ("pages", "Pages"),
    ("updated", "Updated"),
]


class ChairSubmissionsMixin(ChairMixin):
    permission_required = "submissions.manage_submissions"

    def filtered(self) -> SubmissionFilter:
        return SubmissionFilter(
            self.request.GET or None,
            queryset=queries.for_chairs(self.conference),
            request=self.request,
        )

    def list_url(self) -> str:
        return reverse("submissions:chair_list", kwargs={"conference": self.conference.slug})

    def reviews_visible(self, submission: Submission) -> bool:
        """Whether the viewer may open the paper's reviews and discussion (reviews:paper):
        never for a draft, nor for a chair conflicted with the paper. The request's viewer
        reads roles and conflicts once, so this costs no query per paper."""
        if submission.status == enums.Status.DRAFT:
            return False
        return self.request.viewer.has_perm("reviews.view_paper_reviews", submission)

    def tags_hidden(self) -> frozenset[int]:
        """The papers whose tags the viewing chair may not see (those they are conflicted
        with), as the decisions dashboard hides them."""
        return queries.hidden_tag_ids(self.request.viewer, self.conference)

    def viewer_is_author(self, submission: Submission) -> bool:
        """Whether the viewing chair is one of the paper's authors: a linked author row or one
        with their login email (authors are prefetched: no query). An author row matched only
        by another of their addresses shows as an "Is an author" conflict once detection ran;
        either way the chair is conflicted with the paper (reviews.rules)."""
        user = self.request.user
        email = (user.email or "").strip().lower()
        return any(
            a.user_id == user.pk or (email and a.email.strip().lower() == email)
            for a in submission.authors.all()
        )


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


class ChairListView(ChairSubmissionsMixin, TemplateView):
    template_name = "submissions/chair/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filtered()
        valid = filterset.is_valid()
        qs = filterset.qs if valid else queries.apply_sort(filterset.queryset, "number")
        page = Paginator(qs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        rows = list(page.object_list)
        tags_hidden = self.tags_hidden()
        for submission in rows:
            submission.reviews_visible = self.reviews_visible(submission)
            submission.viewer_is_author = self.viewer_is_author(submission)
            submission.tags_hidden = submission.pk in tags_hidden
        current_sort = (filterset.form.cleaned_data.get("sort") if valid else "") or "number"
        context.update(
            filter=filterset,
            page_obj=page,
            submissions=rows,
            counts=queries.counts(queries.for_chairs(self.conference)),
            columns=self._columns(current_sort),
            querystring=self._query(exclude={"page"}),
            bulk_form=BulkActionForm(auto_id="bulk_%s"),
            export_csv=self._export_url("csv"),
            export_json=self._export_url("json"),
            next_url=self.request.get_full_path(),
        )
        return context

    def _query(self, exclude=(), **override) -> str:
        params = [(k, v) for k, v in self.request.GET.lists() if k not in exclude]
        pairs = [(k, item) for k, values in params if k not in override for item in values]
        pairs += [(k, v) for k, v in override.items() if v]
        return urlencode(pairs)

    def _columns(self, current: str) -> list[dict]:
        key, descending = current.lstrip("-"), current.startswith("-")
        columns = []
        for name, label in COLUMNS:
            active = name == key
            target = f"-{name}" if active and not descending else name
            columns.append(
                {
                    "label": label,
                    "query": self._query(exclude={"page", "sort"}, sort=target),
                    "aria_sort": ("descending" if descending else "ascending") if active else "",
                }
            )
        return columns

    def _export_url(self, fmt: str) -> str:
        base = reverse("submissions:chair_export", kwargs={"conference": self.conference.slug})
        return f"{base}?{self._query(exclude={'page', 'format'}, format=fmt)}"


class ChairExportView(ChairSubmissionsMixin, View):
    """The filtered list as CSV (streamed) or JSON; ``?format=csv|json`` plus the list's filters."""

    def get(self, request, *args, **kwargs):
        filterset = self.filtered()
        qs = filterset.qs if filterset.is_valid() else filterset.queryset.order_by("number")
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        name = f"{self.conference.slug}-submissions-{stamp}"
        if request.GET.get("format") == "json":
            rows = exports.rows(qs, tags_hidden=self.tags_hidden())
            payload = json.dumps({"submissions": list(rows)}, ensure_ascii=False)
            response = HttpResponse(payload, content_type="application/json")
            response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        else:
            response = StreamingHttpResponse(
                exports.csv_lines(qs, tags_hidden=self.tags_hidden()),
                content_type="text/csv; charset=utf-8",
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        response["Cache-Control"] = "private, no-store"
        return response


class ChairBulkView(ChairSubmissionsMixin, View):
    """Apply one action to the checked submissions of the list, then go back to it."""

    def post(self, request, *args, **kwargs):
        numbers = Submission.objects.filter(conference=self.conference).values_list(
            "number", flat=True
        )
        form = BulkActionForm(request.POST, numbers=numbers)
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = self.list_url()
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(
                    request, f"{label}: {' '.join(errors)}" if label else " ".join(errors)
                )
            return redirect(back)
        data = form.cleaned_data
        try:
            if data["action"] == "desk_reject":
                done = chair_services.bulk_desk_reject(
                    conference=self.conference,
                    numbers=data["numbers"],
                    actor=request.viewer,
                    reason=data["reason"],
                )
                messages.success(
                    request, f"Desk-rejected {len(done)} submission{pluralize(len(done))}."
                )
            else:
                add = data["action"] == "add_tag"
                _, changed = chair_services.set_tag(
                    conference=self.conference,
                    numbers=data["numbers"],
                    actor=request.viewer,
                    name=data["tag"],
                    add=add,
                )
                verb = "Tagged" if add else "Untagged"
                messages.success(
                    request, f"{verb} {changed} submission{pluralize(changed)} “{data['tag']}”."
                )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        return redirect(back)


class ChairRecomputeConflictsView(ChairSubmissionsMixin, View):
    def post(self, request, *args, **kwargs):
        schedule_recompute(self.conference)
        messages.success(
            request,
            "Conflict detection started; suggestions appear on each submission's page.",
        )
        return redirect(self.list_url())


class ChairSubmissionMixin(ChairSubmissionsMixin):
    def get_submission(self) -> Submission:
        return get_object_or_404(queries.for_chairs(self.conference), number=self.kwargs["number"])

    def detail_url(self) -> str:
        return reverse(
            "submissions:chair_detail",
            kwargs={"conference": self.conference.slug, "number": self.kwargs["number"]},
        )


def extra_answer_rows(submission) -> list[tuple[str, object]]:
    """(question label, answer) for the track's extra questions, in their order; answers to
    questions that no longer exist are shown under their stored key."""
    fields = list(submission.track.extra_fields.order_by("order", "pk"))
    answers = dict(submission.extra_answers or {})
    rows = [(f.label, answers.pop(str(f.pk))) for f in fields if str(f.pk) in answers]
    rows += [(f"Question {key} (removed)", value) for key, value in answers.items()]
    return rows


class ChairDetailView(ChairSubmissionMixin, TemplateView):
    template_name = "submissions/chair/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.get_submission()
        versions = list(
            submission.files.select_related("uploaded_by")
            .defer("text")
            .order_by("kind", "-created_at", "-pk")
        )
        for version in versions:
            version.download_url = files.url_for("submission-file", version, download=True)
            if version.review_copy:
                version.review_copy_url = files.url_for("review-copy", version, download=True)
            version.presented = present_report(version)
        can_act = self.request.viewer.has_perm("submissions.act_on_submission", submission)
        conflicts = list(
            submission.conflicts.select_related("user").order_by("user__name", "source")
        )
        hidden = []
        if not can_act:
            # A reviewer-declared conflict is a "conflict" bid: a chair conflicted with the
            # paper (an author of it, say) learns nothing of its bids, here or in the history.
            hidden = [c for c in conflicts if c.source == enums.ConflictSource.REVIEWER_DECLARED]
            conflicts = [c for c in conflicts if c not in hidden]
        me = self.request.user.pk
        tags_hidden = submission.pk in self.tags_hidden()
        history = queries.history_for(submission, hide_conflicts=hidden, hide_tags=tags_hidden)
        context.update(
            submission=submission,
            tags_hidden=tags_hidden,
            reviews_visible=self.reviews_visible(submission),
            viewer_is_author=self.viewer_is_author(submission)
            or any(c.user_id == me and c.source == enums.ConflictSource.AUTHOR for c in conflicts),
            versions=versions,
            extra_answers=extra_answer_rows(submission),
            history=history[:200],
            conflicts=conflicts,
            hidden_conflicts=len(hidden),
            conflict_targets=ConflictStateForm.base_fields["state"].choices,
            can_desk_reject=enums.Status.DESK_REJECTED
            in allowed_transitions(submission, self.request.viewer),
            desk_reject_form=kwargs.get("desk_reject_form") or DeskRejectForm(),
            can_act=can_act,
            can_release=self.request.viewer.has_perm(
                "submissions.release_for_reviewers", submission
            ),
            release_form=kwargs.get("release_form") or ReleaseForm(),
            release_form_for=kwargs.get("release_form_for"),
        )
        return context


class ChairReleaseView(ChairDetailView):
    """POST only: serve a paper version that failed the anonymity check to its reviewers
    (audited; refused, 403, for a chair conflicted with the paper)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        submission = self.get_submission()
        version = get_object_or_404(
            submission.files.filter(kind=enums.FileKind.PAPER), pk=self.kwargs["pk"]
        )
        version.submission = submission
        if not request.viewer.has_perm("submissions.release_for_reviewers", submission):
            raise PermissionDenied("A chair conflicted with this paper cannot release it.")
        form = ReleaseForm(request.POST)
        if form.is_valid():
            try:
                release_to_reviewers(file=version, actor=request.viewer)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    f"{version.original_name} of #{submission.number} is released: its "
                    "reviewers can now download it.",
                )
                return redirect(f"{self.detail_url()}#files-heading")
        context = self.get_context_data(release_form=form, release_form_for=version.pk)
        return self.render_to_response(context, status=400)


class ChairDeskRejectView(ChairDetailView):
    """POST only: desk-reject through the submission state machine (audited, authors emailed)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        submission = self.get_submission()
        form = DeskRejectForm(request.POST)
        if form.is_valid():
            try:
                change_status(
                    submission=submission,
                    actor=request.viewer,
                    to=enums.Status.DESK_REJECTED,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"#{submission.number} was desk-rejected.")
                return redirect(self.detail_url())
        return self.render_to_response(self.get_context_data(desk_reject_form=form), status=400)


class ChairConflictView(ChairSubmissionMixin, View):
    """Confirm, pin or dismiss one conflict of the submission."""

    def post(self, request, *args, **kwargs):
        conflict = get_object_or_404(
            Conflict.objects.select_related("user"),
            pk=self.kwargs["pk"],
            submission__conference=self.conference,
            submission__number=self.kwargs["number"],
        )
        form = ConflictStateForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose confirm, pin or dismiss.")
            return redirect(self.detail_url())
        try:
            conflict_services.set_conflict_state(
                conflict=conflict, actor=request.viewer, to=form.cleaned_data["state"]
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            state = dict(enums.ConflictState.choices)[form.cleaned_data["state"]].lower()
            messages.success(request, f"Conflict with {conflict.user} {state}.")
        return redirect(f"{self.detail_url()}#conflicts")

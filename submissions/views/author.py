"""The authors' pages: my submissions, register a new one, edit, upload, check report, status."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import pluralize
from django.views import View
from django.views.generic import TemplateView

from mlsys.conferences.enums import DeadlineKind
from mlsys.conferences.mixins import ConferenceMixin
from mlsys.core import files as core_files
from mlsys.core.errors import Conflict as EditConflict
from submissions import enums, forms, pipeline, queries, services
from submissions.models import Submission, SubmissionFile
from submissions.services.editing import submission_is_editable
from submissions.views.report import number_papers, present_report


class AuthorMixin(LoginRequiredMixin, ConferenceMixin):
    """Logged-in users at a conference they can see."""

    def timeline(self):
        """The conference's phases as of the request's arrival (mlsys.core.arrival): the page
        judges the deadline as the services will."""
        return self.conference.timeline(self.request.viewer.now)

    def deadlines(self) -> dict:
        deadlines = self.conference.deadline_map()
        return {
            "registration_deadline": deadlines.get(DeadlineKind.REGISTRATION),
            "submission_deadline": deadlines.get(DeadlineKind.SUBMISSION),
            "grace_minutes": self.conference.submission_grace_minutes,
        }


class SubmissionMixin(AuthorMixin):
    """One submission the user is an author of; anybody else gets 404."""

    permission_required = "submissions.change_submission"

    def get_permission_object(self):
        if not hasattr(self, "submission"):
            self.submission = get_object_or_404(
                Submission.objects.select_related("track", "current_paper", "current_supplement"),
                conference=self.conference,
                number=self.kwargs["number"],
            )
        return self.submission

    def is_editable(self) -> bool:
        return submission_is_editable(self.submission, self.timeline())

    def redirect_to_detail(self):
        return HttpResponseRedirect(self.submission.get_absolute_url())


class MySubmissionsView(AuthorMixin, TemplateView):
    template_name = "submissions/author/mine.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = queries.for_author(self.request.user, self.conference).prefetch_related(
            "track__extra_fields"
        )
        context["rows"] = []
        for submission in rows:
            context["rows"].append((submission, services.missing_requirements(submission)))
        context["can_register"] = self.timeline().can_register_submission()
        context.update(self.deadlines())
        return context


class SubmissionCreateView(AuthorMixin, TemplateView):
    template_name = "submissions/author/create.html"

    def get_track(self):
        tracks = list(self.conference.tracks.all())
        chosen = self.request.POST.get("track") or self.request.GET.get("track")
        if len(tracks) == 1:
            return tracks[0], tracks
        return next((t for t in tracks if t.slug == chosen), None), tracks

    def get(self, request, *args, **kwargs):
        track, tracks = self.get_track()
        context = {"tracks": tracks, "track": track, **self.deadlines()}
        context["can_register"] = self.timeline().can_register_submission()
        if track is not None and context["can_register"]:
            user = request.user
            context.update(
                form=forms.SubmissionForm(conference=self.conference, track=track),
                authors=forms.AuthorFormSet(
                    prefix="authors",
                    initial=[
                        {
                            "name": user.name,
                            "email": user.email,
                            "affiliation": user.affiliation,
                            "is_contact": True,
                            "ORDER": 1,
                        }
                    ],
                ),
                conflicts=forms.ConflictFormSet(prefix="conflicts", conference=self.conference),
            )
        return self.render_to_response(self.get_context_data(**context))

    def post(self, request, *args, **kwargs):
        track, tracks = self.get_track()
        if track is None:
            raise Http404
        form = forms.SubmissionForm(request.POST, conference=self.conference, track=track)
        authors = forms.AuthorFormSet(request.POST, prefix="authors")
        conflicts = forms.ConflictFormSet(
            request.POST, prefix="conflicts", conference=self.conference
        )
        if adding_row(request):
            form, authors, conflicts = with_added_row(request, form, authors, conflicts)
            context = {
                "tracks": tracks,
                "track": track,
                "form": form,
                "authors": authors,
                "conflicts": conflicts,
                "can_register": self.timeline().can_register_submission(),
                **self.deadlines(),
            }
            return self.render_to_response(self.get_context_data(**context))
        if all_valid(form, authors, conflicts, actor=request.user, track=track):
            try:
                submission = services.create_submission(
                    conference=self.conference,
                    actor=request.viewer,
                    track=track,
                    authors=authors.author_inputs(),
                    conflicts=conflicts.conflict_inputs(),
                    **form.service_kwargs(),
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    f"Submission #{submission.number} is registered as a draft. "
                    "Upload the PDF and submit it before the deadline.",
                )
                return HttpResponseRedirect(submission.get_absolute_url())
        context = {
            "tracks": tracks,
            "track": track,
            "form": form,
            "authors": authors,
            "conflicts": conflicts,
            "can_register": self.timeline().can_register_submission(),
            **self.deadlines(),
        }
        return self.render_to_response(self.get_context_data(**context), status=400)


class SubmissionDetailView(SubmissionMixin, TemplateView):
    """Everything about one submission; POST saves the edit form."""

    template_name = "submissions/author/detail.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(**self.edit_forms()))

    def post(self, request, *args, **kwargs):
        if not self.is_editable():
            messages.error(request, "This submission can no longer be edited.")
            return self.redirect_to_detail()
        data = request.POST.copy()
        bundle = self.edit_forms(data)
        form, authors, conflicts = bundle["form"], bundle["authors"], bundle["conflicts"]
        if adding_row(request):
            form, authors, conflicts = with_added_row(request, form, authors, conflicts)
            bundle = {"form": form, "authors": authors, "conflicts": conflicts}
            return self.render_to_response(self.get_context_data(**bundle))
        their_version = None
        if all_valid(
            form,
            authors,
            conflicts,
            actor=request.user,
            track=self.submission.track,
            submission=self.submission,
        ):
            try:
                services.update_submission(
                    submission=self.submission,
                    actor=request.viewer,
                    version=form.cleaned_data.get("version") or 0,
                    authors=authors.author_inputs(),
                    conflicts=conflicts.conflict_inputs(),
                    **form.service_kwargs(),
                )
            except EditConflict as conflict:
                their_version = self.describe(conflict.current)
                # The next save is a deliberate overwrite of what the user has now seen.
                data["version"] = str(conflict.current.get("version", ""))
                bundle = self.edit_forms(data)
                bundle["form"].is_valid()
                bundle["form"].add_error(None, str(conflict))
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, "Saved.")
                return self.redirect_to_detail()
        context = self.get_context_data(**bundle, their_version=their_version)
        return self.render_to_response(context, status=409 if their_version else 400)

    def edit_forms(self, data=None) -> dict:
        submission = self.submission
        authors = list(submission.authors.order_by("order", "pk"))
        declared = submission.conflicts.filter(source=enums.ConflictSource.AUTHOR_DECLARED)
        return {
            "form": forms.SubmissionForm(
                data,
                conference=self.conference,
                track=submission.track,
                submission=submission,
                initial={
                    "title": submission.title,
                    "abstract": submission.abstract,
                    "topics": [t.pk for t in submission.topics.all()],
                    "version": submission.version,
                },
            ),
            "authors": forms.AuthorFormSet(
                data,
                prefix="authors",
                initial=[
                    {
                        "name": a.name,
                        "email": a.email,
                        "affiliation": a.affiliation,
                        "is_contact": a.is_contact,
                        "ORDER": i,
                    }
                    for i, a in enumerate(authors, start=1)
                ],
            ),
            "conflicts": forms.ConflictFormSet(
                data,
                prefix="conflicts",
                conference=self.conference,
                initial=[{"user": c.user_id, "reason": c.reason} for c in declared],
            ),
        }

    def describe(self, current: dict) -> dict:
        topics = {t.pk: t.name for t in self.conference.topics.all()}
        return {**current, "topic_names": [topics.get(pk, pk) for pk in current.get("topics", [])]}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.submission
        files = list(
            submission.files.select_related("uploaded_by")
            .defer("text")
            .order_by("-created_at", "-pk")
        )
        for f in files:
            f.download_url = core_files.url_for("submission-file", f)
        papers = [f for f in files if f.kind == enums.FileKind.PAPER]
        context.update(
            reviewer_copy=number_papers(papers, submission),
            submission=submission,
            authors_list=submission.authors.select_related("user").order_by("order", "pk"),
            papers=papers,
            supplements=[f for f in files if f.kind == enums.FileKind.SUPPLEMENT],
            latest_paper=papers[0] if papers else None,
            report=present_report(papers[0] if papers else None),
            editable=self.is_editable(),
            closed_early=self.timeline().submission_closed_early(),
            missing=services.missing_requirements(submission),
            transitions=services.allowed_transitions(submission, self.request.viewer),
            upload_form=forms.UploadForm(auto_id="id_paper_%s"),
            supplement_form=forms.UploadForm(auto_id="id_supplement_%s"),
            Status=enums.Status,
            reviews_visible=self.request.viewer.has_perm(
                "reviews.view_reviews_as_author", submission
            ),
            response_open=self.request.viewer.has_perm("reviews.write_response", submission),
            **self.deadlines(),
        )
        return context


class UploadView(SubmissionDetailView):
    """POST a new paper or supplement version; a refusal re-renders the page with the reason."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        kind = kwargs["kind"]
        if kind not in (enums.FileKind.PAPER, enums.FileKind.SUPPLEMENT):
            raise Http404
        form = forms.UploadForm(request.POST, request.FILES, auto_id=f"id_{kind}_%s")
        upload = services.upload_paper if kind == "paper" else services.upload_supplement
        status = 400
        if form.is_valid():
            try:
                stored = upload(
                    submission=self.submission,
                    actor=request.viewer,
                    upload=form.cleaned_data["file"],
                )
            except pipeline.StorageFailed as error:
                form.add_error("file", error.messages)
                status = 503
            except ValidationError as error:
                form.add_error("file", _messages_of(error))
            else:
                messages.success(request, uploaded_words(stored))
                return self.redirect_to_detail()
        context = self.get_context_data(**self.edit_forms())
        context["upload_form" if kind == "paper" else "supplement_form"] = form
        return self.render_to_response(context, status=status)


def uploaded_words(stored) -> str:
    """The receipt of an upload, saying honestly where its check stands."""
    stored.refresh_from_db(fields=["check_status", "check_queued_at"])
    words = f"Uploaded {stored.original_name} (SHA-256 {stored.sha256[:16]}…). "
    if stored.is_checked:
        return words + "Its check report appears below."
    if stored.check_queued_at is None:
        return words + (
            "The checker cannot be reached right now; your file is safely stored and its check "
            "will run automatically within a few minutes. Its report will appear below."
        )
    ahead = SubmissionFile.objects.filter(
        submission_id=stored.submission_id,
        kind=stored.kind,
        check_status=enums.CheckStatus.PENDING,
        pk__lt=stored.pk,
    ).count()
    if ahead:
        # A co-author's (or one's own) earlier version is still waiting: say so, and which
        # version will count, rather than the same words as a first upload.
        return words + (
            f"Its check is queued after {ahead} earlier version{pluralize(ahead)} still "
            "waiting; once checked, the newest version becomes the current one (unless it is "
            "not a usable PDF). The reports appear below."
        )
    return words + "Its check is queued and will run shortly; the report appears below."


class ReportView(SubmissionMixin, TemplateView):
    """The check report of the newest paper upload: the bare fragment for htmx (which polls it
    while the check runs), a whole page (title, landmarks) when opened directly."""

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["submissions/partials/check_report.html"]
        return ["submissions/author/report.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["submission"] = self.submission
        papers = list(
            self.submission.files.filter(kind=enums.FileKind.PAPER)
            .defer("text")
            .order_by("-created_at", "-pk")
        )
        context["reviewer_copy"] = number_papers(papers, self.submission)
        latest = papers[0] if papers else None
        context["latest_paper"] = latest
        context["report"] = present_report(latest)
        return context


class StatusView(SubmissionMixin, View):
    """Submit, withdraw (with a reason), revive or return to draft."""

    def post(self, request, *args, **kwargs):
        form = forms.StatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Unknown action.")
            return self.redirect_to_detail()
        try:
            changed = services.change_status(
                submission=self.submission,
                actor=request.viewer,
                to=form.cleaned_data["to"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for message in _messages_of(error):
                messages.error(request, message)
        else:
            messages.success(
                request,
                f"Submission #{changed.number} is now {changed.get_status_display().lower()}. "
                "A receipt was sent to every author.",
            )
        return self.redirect_to_detail()


def adding_row(request) -> bool:
    """Whether the POST is an "Add author" / "Add conflict" button pressed without
    JavaScript: the page comes back with one more row, nothing is checked or saved."""
    return request.POST.get("add_row") in ("authors", "conflicts")


def with_added_row(request, form, authors, conflicts) -> tuple:
    target = request.POST["add_row"]
    return (
        form.as_typed(),
        authors.as_typed(add_row=target == "authors"),
        conflicts.as_typed(add_row=target == "conflicts", conference=form.conference),
    )


def all_valid(form, authors, conflicts, *, actor, track, submission=None) -> bool:
    """Whether the three parts of the submission form parsed. If not, the service's checks
    run on whatever did parse and their problems join the form's, so the author sees every
    problem after one try (an invalid co-author email must not hide a too-long abstract)."""
    results = [form.is_valid(), authors.is_valid(), conflicts.is_valid()]
    if all(results):
        return True
    if authors.is_valid():
        author_rows, reported = authors.author_inputs(), set()
    else:
        author_rows, reported = authors.checkable_inputs()
    problems = services.check_input(
        conference=form.conference,
        actor=actor,
        track=track,
        submission=submission,
        authors=author_rows,
        conflicts=conflicts.conflict_inputs() if results[2] else conflicts.checkable_inputs(),
        **form.checkable_kwargs(),
    )
    form.add_check_errors(problems, reported_rows=reported)
    return False


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for messages_ in error.message_dict.values() for m in messages_]
    return list(error.messages)

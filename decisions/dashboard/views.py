"""The chairs' decisions dashboard (decisions:dashboard), its CSV (decisions:dashboard_csv), one
decision (decisions:decide: htmx returns the row; without JavaScript the form redirects back),
bulk actions (decisions:decide_bulk: a preview naming what is skipped and why, then the
confirmation), saved views (decisions:saved_views) and the outcomes settings page
(decisions:outcomes).

Everything needs ``decisions.manage_decisions`` (404 for anyone else). A paper the chair is
conflicted with is listed redacted and has no control: deciding it here answers 404, and the
services refuse it too.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from decisions import services as decision_services
from decisions.dashboard import queries
from decisions.dashboard import services as dashboard_services
from decisions.dashboard.forms import (
    BulkForm,
    DecideForm,
    OutcomeFormSet,
    SaveViewForm,
)
from decisions.dashboard.table import Table
from decisions.models import Outcome, SavedView
from decisions.outcomes import outcomes_of
from mlsys.conferences.mixins import ConferenceMixin
from mlsys.core.numbers import parse_id
from reviews.rules import conflicted_submission_ids

PAGE_SIZE = 100
MANAGE = "decisions.manage_decisions"


class DashboardMixin(ConferenceMixin):
    permission_required = MANAGE

    def dashboard_url(self) -> str:
        return reverse("decisions:dashboard", kwargs={"conference": self.conference.slug})

    def back(self) -> str:
        """The dashboard URL the form came from (its filters kept), else the bare dashboard."""
        target = self.request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}
        ) and target.startswith(self.dashboard_url()):
            return target
        return self.dashboard_url()

    def back_params(self) -> QueryDict:
        return QueryDict(urlsplit(self.back()).query)

    def active_outcomes(self):
        outcomes_of(self.conference)
        return Outcome.objects.filter(conference=self.conference, active=True)


class DashboardView(DashboardMixin, TemplateView):
    template_name = "decisions/dashboard/page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        table = Table(self.conference, self.request.viewer, self.request.GET)
        rows = table.rows()
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        top, bottom = table.headers()
        query = table.form.query(table.criteria)
        track = table.names.tracks.get(table.criteria.track) if table.criteria.track else None
        here = "&".join(part for part in (query, f"page={page.number}" * (page.number > 1)) if part)
        outcomes = [o for o in table.board.outcomes if o.active]
        context.update(
            table=table,
            form=table.form,
            counters=queries.counters(table.board, table.names),
            page_obj=page,
            rows=[table.present(row) for row in page.object_list],
            matching=len(rows),
            header_top=top,
            header_bottom=bottom,
            query=query,
            next_url=f"{self.dashboard_url()}?{here}" if here else self.dashboard_url(),
            csv_url=reverse("decisions:dashboard_csv", kwargs={"conference": self.conference.slug})
            + (f"?{query}" if query else ""),
            outcomes=outcomes,
            track_name=track,
            saved_views=SavedView.objects.filter(
                conference=self.conference, owner=self.request.user
            ),
            save_form=SaveViewForm(initial={"query": query}),
            bulk_form=BulkForm(outcomes=Outcome.objects.none(), initial={"filters": query}),
            optional_columns=[c for c in table.columns if not c.fixed],
            shown=[c.key for c in table.visible],
            colspan=len(table.visible) + 1,
        )
        return context


class _Echo:
    def write(self, value: str) -> str:
        return value


def _safe(text: str) -> str:
    """A cell a spreadsheet must not run as a formula (titles are the authors' text)."""
    return (
        f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _numeric(text) else text
    )


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class CsvView(DashboardMixin, View):
    """Every row of the current filter and sort (all pages) as CSV: the visible columns, or
    every column with ``?all=1``; conflicted rows redacted as on the page."""

    def get(self, request, *args, **kwargs):
        table = Table(self.conference, request.viewer, request.GET)
        columns = table.columns if request.GET.get("all") else table.visible
        rows = table.rows()
        writer = csv.writer(_Echo())

        def lines():
            yield writer.writerow(
                [f"{c.group} {c.label}".strip() if c.group else c.help for c in columns]
                + ["conflicted"]
            )
            for row in rows:
                yield writer.writerow(
                    [_safe(queries.cell_text(c, row, table.names)) for c in columns]
                    + ["yes" if row.conflicted else ""]
                )

        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        name = f"{self.conference.slug}-decisions-{stamp}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response


class DecideView(DashboardMixin, View):
    """Set, change or clear (after a confirmation) one paper's pending decision."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        htmx = request.headers.get("HX-Request") == "true"
        paper = get_object_or_404(
            self.conference.submissions.select_related("decision__outcome"),
            number=kwargs["number"],
        )
        if not request.viewer.has_perm("decisions.decide", paper):
            raise Http404  # a conflicted chair: the paper's decision does not exist for them
        form = DecideForm(request.POST, outcomes=self.active_outcomes())
        error = ""
        confirming = False
        if not form.is_valid():
            error = " ".join(e for errors in form.errors.values() for e in errors)
        else:
            outcome = form.cleaned_data["outcome"]
            decision = decision_services.decision_of(paper)
            try:
                if outcome is not None:
                    decision_services.record_decision(
                        submission=paper,
                        outcome=outcome,
                        actor=request.viewer,
                        reason=form.cleaned_data["reason"],
                    )
                    if not htmx:
                        messages.success(request, f"#{paper.number}: {outcome.label} (pending).")
                elif decision is None:
                    pass
                elif decision.is_released:
                    error = "Its decision is already released; it cannot be cleared."
                elif not form.cleaned_data["confirm"]:
                    confirming = True
                else:
                    decision_services.clear_decision(submission=paper, actor=request.viewer)
                    if not htmx:
                        messages.success(
                            request, f"#{paper.number}: pending decision cleared (undecided)."
                        )
            except (ValidationError, PermissionDenied) as exc:
                error = " ".join(getattr(exc, "messages", [str(exc)]))
        if htmx:
            return HttpResponse(self._row(paper.number, error=error, confirming=confirming))
        if confirming:
            context = {
                "conference": self.conference,
                "paper": paper,
                "decision": decision_services.decision_of(paper),
                "next_url": self.back(),
            }
            return render(request, "decisions/dashboard/clear_confirm.html", context)
        if error:
            messages.error(request, f"#{paper.number}: {error}")
        return redirect(self.back())

    def _row(self, number: int, *, error: str, confirming: bool) -> str:
        table = Table(self.conference, self.request.viewer, self.back_params())
        row = queries.conference_rows(table.board)[number]
        context = {
            "r": table.present(row),
            "outcomes": [o for o in table.board.outcomes if o.active],
            "next_url": self.back(),
            "error": error,
            "confirming": confirming,
            "saved": not error and not confirming,
            "oob_counters": queries.counters(table.board, table.names),
        }
        return render_to_string("decisions/dashboard/_row.html", context, request=self.request)


@dataclass
class _Preview:
    paper: Any
    reason: str = ""

    @property
    def replaces(self) -> str:
        """The pending decision this one would replace ("" when none)."""
        decision = decision_services.decision_of(self.paper)
        return decision.outcome.label if decision is not None else ""


class BulkView(DashboardMixin, View):
    """Bulk decisions (a preview first, naming each skipped paper and why; then the
    confirmation) and bulk tags (applied at once, conflicted papers skipped)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = BulkForm(request.POST, outcomes=self.active_outcomes())
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect(self.back())
        data = form.cleaned_data
        numbers = data["numbers"]
        if data["scope"] == "matching":
            table = Table(self.conference, request.viewer, QueryDict(data["filters"]))
            numbers = [row.number for row in table.rows()]
        if data["action"] == BulkForm.DECIDE:
            return self._decide(numbers, data)
        return self._tag(numbers, data)

    def _papers(self, numbers):
        return list(
            self.conference.submissions.filter(number__in=numbers)
            .select_related("decision__outcome")
            .order_by("number")
        )

    def _decide(self, numbers, data):
        request = self.request
        papers = self._papers(numbers)
        outcome = data["outcome"]
        if not data["confirm"]:
            previews = [_Preview(p, _why_not(p, request.viewer)) for p in papers]
            context = {
                "conference": self.conference,
                "outcome": outcome,
                "reason": "",
                "changing": [p for p in previews if not p.reason],
                "skipping": [p for p in previews if p.reason],
                "next_url": self.back(),
            }
            return render(request, "decisions/dashboard/bulk_confirm.html", context)
        result = decision_services.record_decisions(
            submissions=papers, outcome=outcome, actor=request.viewer
        )
        if result.done:
            n = len(result.done)
            messages.success(
                request, f"{outcome.label} set on {n} paper{pluralize(n)} (pending, not released)."
            )
        if result.skipped:
            messages.warning(request, _skipped_text(result.skipped))
        if not result.done and not result.skipped:
            messages.info(request, "No paper matched; nothing changed.")
        return redirect(self.back())

    def _tag(self, numbers, data):
        request = self.request
        add = data["action"] == BulkForm.TAG
        try:
            result = dashboard_services.tag_papers(
                conference=self.conference,
                numbers=numbers,
                actor=request.viewer,
                name=data["tag_name"],
                add=add,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.back())
        verb = "Tagged" if add else "Untagged"
        messages.success(
            request,
            f"{verb} {result.changed} paper{pluralize(result.changed)} “{data['tag_name']}”.",
        )
        if result.skipped:
            messages.warning(request, _skipped_text(result.skipped))
        return redirect(self.back())


def _why_not(paper, viewer) -> str:
    """decisions.services.refusal, naming a released decision as such (the paper's status
    then says accepted or rejected, which reads as "not under review")."""
    why = decision_services.refusal(paper, viewer) or ""
    decision = decision_services.decision_of(paper)
    if (
        why
        and decision is not None
        and decision.is_released
        and viewer.has_perm("decisions.decide", paper)
    ):
        return "Its decision is already released."
    return why


def _skipped_text(skipped) -> str:
    parts = [f"#{paper.number} ({reason.rstrip('.')})" for paper, reason in skipped[:20]]
    more = f" and {len(skipped) - 20} more" if len(skipped) > 20 else ""
    return f"Skipped {len(skipped)}: {'; '.join(parts)}{more}."


class SavedViewsView(DashboardMixin, View):
    """Save the current view under a name (``name``, ``query``), or delete one (``delete``)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        delete = request.POST.get("delete")
        if delete is not None:
            view = get_object_or_404(
                SavedView.objects.filter(conference=self.conference, owner=request.user),
                pk=parse_id(delete) or 0,
            )
            dashboard_services.delete_view(view=view, actor=request.viewer)
            messages.success(request, f"Deleted the saved view “{view.name}” ({view.query}).")
            return redirect(self.back())
        form = SaveViewForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect(self.back())
        query = form.cleaned_data["query"]
        # Keep only what the page itself understands (a normalised query string).
        table = Table(self.conference, request.viewer, QueryDict(query))
        view = dashboard_services.save_view(
            conference=self.conference,
            actor=request.viewer,
            name=form.cleaned_data["name"],
            query=table.form.query(table.criteria),
        )
        messages.success(request, f"Saved the view “{view.name}”.")
        url = self.dashboard_url()
        return redirect(f"{url}?{view.query}" if view.query else url)


class OutcomesView(DashboardMixin, TemplateView):
    """Rename, reorder, retire or restore outcomes and add new ones (never delete)."""

    template_name = "decisions/dashboard/outcomes.html"
    EXTRA = 2

    def initial(self) -> list[dict]:
        rows = [
            {"id": o.pk, "label": o.label, "kind": o.kind, "order": o.order, "active": o.active}
            for o in outcomes_of(self.conference)
        ]
        start = max((r["order"] for r in rows), default=-1) + 1
        return rows + [
            {"id": None, "label": "", "kind": "accept", "order": start + i, "active": True}
            for i in range(self.EXTRA)
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        formset = kwargs.get("formset") or OutcomeFormSet(initial=self.initial(), prefix="o")
        usage = dashboard_services.outcome_usage(self.conference, self.request.viewer)
        for form in formset:
            pk = form.initial.get("id") or None
            form.used, form.released = usage.get(pk, (0, 0)) if pk else (0, 0)
        context.update(
            formset=formset,
            dashboard_url=self.dashboard_url(),
            hidden_papers=bool(conflicted_submission_ids(self.request.viewer, self.conference)),
        )
        return context

    def post(self, request, *args, **kwargs):
        formset = OutcomeFormSet(request.POST, initial=self.initial(), prefix="o")
        if formset.is_valid():
            changes = [
                dashboard_services.OutcomeChange(
                    pk=form.cleaned_data.get("id"),
                    label=form.cleaned_data.get("label", ""),
                    kind=form.cleaned_data["kind"],
                    order=form.cleaned_data["order"],
                    active=form.cleaned_data.get("active", False),
                )
                for form in formset
                if form.cleaned_data
            ]
            try:
                dashboard_services.save_outcomes(
                    conference=self.conference, changes=changes, actor=request.viewer
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, "Outcomes saved.")
                return redirect(
                    reverse("decisions:outcomes", kwargs={"conference": self.conference.slug})
                )
        return self.render_to_response(self.get_context_data(formset=formset), status=400)

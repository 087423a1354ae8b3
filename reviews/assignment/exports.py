"""The CSV exports of the chairs' assignment tables: the overview's papers or reviewer loads
(reviews:assignment_export) and a proposal's pairs (reviews:proposal_export). Every row
matching the page's filters; a conflicted chair gets exactly what the page shows them (a
conflicted paper named without reviewers on the overview, left out of a proposal)."""

from django.views import View

from mlsys.core import tables
from reviews.assignment import queries
from reviews.assignment import tables as assignment_tables
from reviews.assignment.views import AssignmentMixin


class AssignmentExportView(AssignmentMixin, View):
    """The overview's papers (default) or ``?table=loads``."""

    def get(self, request, *args, **kwargs):
        tracks = list(self.conference.tracks.all())
        _pf, lines, _lf, loads, pool, _hidden = assignment_tables.overview(
            self.conference, request.GET, tracks, self.conflicted_ids
        )
        slug = self.conference.slug
        if request.GET.get("table") == "loads":
            return tables.csv_response(
                f"{slug}-reviewer-loads",
                ["reviewer", "side", "load", "min", "max"],
                (
                    [
                        r["reviewer"].label,
                        r["reviewer"].side_label,
                        r["load"],
                        r["reviewer"].min_load,
                        "" if r["reviewer"].max_load is None else r["reviewer"].max_load,
                    ]
                    for r in loads
                ),
            )
        return tables.csv_response(
            f"{slug}-assignments",
            ["number", "title", "track", "reviewers", "coverage"],
            queries.overview_export_rows(self.conference, lines, pool),
        )


class ProposalExportView(AssignmentMixin, View):
    """One row per pair of the proposal's papers."""

    def get(self, request, *args, **kwargs):
        proposal = self.get_proposal()
        tracks = list(self.conference.tracks.all())
        _form, lines, pool, _removed, _hidden = assignment_tables.proposal_changes(
            proposal, request.GET, tracks, self.conflicted_ids
        )
        return tables.csv_response(
            f"{self.conference.slug}-proposal-{proposal.pk}",
            [
                "number",
                "title",
                "track",
                "reviewer",
                "email",
                "side",
                "quality",
                "change",
                "coverage",
            ],
            queries.proposal_export_rows(proposal, lines, pool),
        )

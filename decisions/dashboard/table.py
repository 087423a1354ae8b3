"""The dashboard of one request, shared by the page, the CSV, the htmx row and the API: every
row with its statistics (stats.dashboard), the names its ids point at, the columns, the
filter form and the rows it selects, and each shown row formatted in Python (numbers and URLs
computed here, not by per-row template tags)."""

from __future__ import annotations

from django.urls import reverse

from decisions.dashboard import queries
from decisions.dashboard.forms import DashboardForm
from decisions.dashboard.stats import Dashboard, PaperRow, dashboard
from decisions.enums import DecisionStatus


def _prefix(name: str, **kwargs) -> str:
    """The URL of ``name`` for paper number 0, minus the "0/": each row appends its number
    (one ``reverse`` per page instead of one per row)."""
    url = reverse(name, kwargs={**kwargs, "number": 0})
    return url[: -len("0/")]


class Table:
    """The dashboard for one request: every row with its statistics, the columns, the
    filter form and the rows it selects (shared by the page, the CSV and the htmx row)."""

    def __init__(self, conference, viewer, params) -> None:
        self.conference = conference
        self.board: Dashboard = dashboard(conference, viewer)
        self.names = queries.Names.load(self.board)
        self.columns = queries.columns(
            self.board.fields,
            self.board.primary,
            {pk: i for i, pk in enumerate(self.names.tracks)},
        )
        self.form = DashboardForm(params, names=self.names, columns=self.columns)
        self.criteria = self.form.criteria()
        self.visible = queries.visible_columns(self.columns, self.criteria.columns)
        self.paper_url = _prefix("reviews:paper", conference=conference.slug)
        self.decide_url = _prefix("decisions:decide", conference=conference.slug)

    def rows(self) -> list[PaperRow]:
        return queries.select(self.board, self.criteria, self.columns)

    def present(self, row: PaperRow) -> dict:
        """What the row template needs, formatted in Python (no per-row tags or URLs)."""
        cells = [
            {
                "key": c.key,
                "text": queries.cell_text(c, row, self.names),
                "numeric": c.numeric,
            }
            for c in self.visible
        ]
        refusal = queries.row_refusal(row)
        return {
            "row": row,
            "cells": cells,
            "link": "" if row.conflicted else f"{self.paper_url}{row.number}/",
            "decide_url": f"{self.decide_url}{row.number}/",
            "refusal": refusal,
            "decidable": not refusal,
            "clearable": not refusal and row.decision_status == DecisionStatus.PENDING,
            "tags": []
            if row.conflicted
            else sorted(self.names.tags[t] for t in row.tag_ids if t in self.names.tags),
            "decision_label": self.names.outcome_label(row),
            "retired": bool(
                row.outcome_id
                and row.outcome_id in self.names.outcomes
                and not self.names.outcomes[row.outcome_id].active
            ),
        }

    def headers(self) -> tuple[list[dict], list[dict]]:
        """Two header rows: score statistics grouped under their field's label."""
        top: list[dict] = []
        bottom: list[dict] = []
        key, descending = self.criteria.sort.lstrip("-"), self.criteria.sort.startswith("-")
        for column in self.visible:
            active = column.key == key
            target = f"-{column.key}" if active and not descending else column.key
            cell = {
                "label": column.label,
                "help": column.help,
                "query": self.form.query(self.criteria, sort=target),
                "aria_sort": ("descending" if descending else "ascending") if active else "",
                "numeric": column.numeric,
            }
            if column.group:
                if top and top[-1].get("group") == column.group:
                    top[-1]["span"] += 1
                else:
                    top.append({"group": column.group, "span": 1, "label": column.group})
                bottom.append(cell)
            else:
                top.append({**cell, "rowspan": 2})
        if not bottom:
            for cell in top:
                cell["rowspan"] = 1
        return top, bottom

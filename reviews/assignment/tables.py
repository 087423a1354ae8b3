"""The inputs of the chairs' two long assignment tables, the overview's papers and reviewer
loads and a proposal's changes by paper: the GET filters read into forms and the rows they keep
across the whole conference (plain values, a fixed number of queries). The pages show 100 rows
of them, the CSV exports (reviews.assignment.exports) all."""

from reviews.assignment import queries
from reviews.assignment.forms import LoadsFilterForm, PapersFilterForm
from reviews.enums import ProposalStatus
from reviews.models import ProposedPair

PAPER_PARAMS = ("q", "track", "show", "page")
LOAD_PARAMS = ("lq", "lside", "lshow", "lpage")
#: The statuses whose pairs a proposal page lists.
SHOWN_STATUSES = (ProposalStatus.READY, ProposalStatus.COMMITTED, ProposalStatus.UNDONE)


def overview(conference, params, tracks, conflicted_ids):
    """(papers form, papers it keeps, loads form, load rows it keeps, pool, number of papers
    the chair is conflicted with)."""
    lines, loads, pool = queries.overview_lines(conference, tracks, conflicted_ids)
    hidden = sum(1 for line in lines if line.conflicted)
    paper_form = PapersFilterForm(params, tracks=tracks)
    load_form = LoadsFilterForm(params)
    p, lo = paper_form.values(), load_form.values()
    lines = queries.filter_lines(lines, q=p["q"] or "", track_id=p["track"], show=p["show"] or "")
    loads = queries.filter_loads(
        loads, q=lo["lq"] or "", side=lo["lside"] or "", show=lo["lshow"] or ""
    )
    return paper_form, lines, load_form, loads, pool, hidden


def proposal_changes(proposal, params, tracks, conflicted_ids):
    """(filter form, the papers it keeps, the pool, the removed pairs, number of papers
    hidden from this chair)."""
    form = PapersFilterForm(params, tracks=tracks, changes=True)
    if proposal.status not in SHOWN_STATUSES:
        return form, [], {}, [], 0
    lines, pool, removed = queries.proposal_lines(proposal, tracks, conflicted_ids)
    v = form.values()
    shown = queries.filter_proposal_lines(
        lines,
        q=v["q"] or "",
        track_id=v["track"],
        show=v["show"] or "",
        change=v["change"] or "",
    )
    hidden = (
        ProposedPair.objects.filter(proposal=proposal, submission_id__in=list(conflicted_ids))
        .values("submission_id")
        .distinct()
        .count()
        if conflicted_ids
        else 0
    )
    return form, shown, pool, removed, hidden

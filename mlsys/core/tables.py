"""What every long chairs' table shares: one page of rows from the request, the query string
that keeps the filters across pages and forms, a safe "return to this page" address, and a
streamed CSV export of the whole table.

A page of 100 rows keeps a table readable and its page under a second at 10,000 papers; the CSV
export gives the whole table. Both are built from the same rows, so what a viewer may not see on
the page (a conflicted chair's papers) is not in the file either.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

PAGE_SIZE = 100
#: Stands for the row's id in a reversed URL; ``row_url`` puts the id in its place.
_ROW = 2147483647
ROW_MARK = "{row}"


def row_url(viewname: str, row_arg: str, **kwargs) -> str:
    """The URL of ``viewname`` with ``{row}`` for its ``row_arg``: a table reverses each of its
    row links once per page and fills in ids with the ``|row_url:id`` filter
    (mlsys.core.templatetags.tables), instead of one ``{% url %}`` per row."""
    return reverse(viewname, kwargs={**kwargs, row_arg: _ROW}).replace(str(_ROW), ROW_MARK)


def page_of(rows, request: HttpRequest, param: str = "page") -> Page:
    """The requested page of ``rows`` (a list or a queryset), :data:`PAGE_SIZE` rows; a page
    number out of range or not a number gives the nearest page, never an error."""
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get(param))


def query(request: HttpRequest, exclude: Iterable[str] = (), **override: str) -> str:
    """The request's query string without ``exclude`` and with ``override`` (empty values
    dropped), to build links that keep the current filters."""
    skip = set(exclude) | set(override)
    pairs = [(k, v) for k, values in request.GET.lists() if k not in skip for v in values]
    pairs += [(k, v) for k, v in override.items() if v]
    return urlencode(pairs)


def carried(request: HttpRequest, exclude: Iterable[str]) -> list[tuple[str, str]]:
    """The request's parameters but ``exclude``, as hidden inputs of another table's filter
    form (filtering one table keeps the other's filters)."""
    skip = set(exclude)
    return [(k, v) for k, values in request.GET.lists() if k not in skip for v in values]


def back_to(request: HttpRequest, default: str) -> str:
    """The ``next`` address posted (or passed) with a row action when it is a local page,
    else ``default``: after the action the chair lands on the page and filters they were on."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


#: Rows written per chunk of a streamed CSV export (one chunk per row costs more than the rows).
CSV_CHUNK = 500


def _cell(value):
    # A leading "=", "+", "-" or "@" would run as a formula in a spreadsheet: an apostrophe
    # keeps the text as text.
    if value is None:
        return ""
    if value.__class__ is str and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_response(
    name: str, header: Sequence[str], rows: Iterable[Sequence]
) -> StreamingHttpResponse:
    """``rows`` streamed as ``<name>-<timestamp>.csv`` (private, not cached)."""

    def chunks():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for i, row in enumerate(rows, start=1):
            writer.writerow([_cell(v) for v in row])
            if i % CSV_CHUNK == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(chunks(), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response

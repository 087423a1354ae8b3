"""The PC member's bidding page and the endpoint that saves one bid (htmx or plain POST).

Papers the member is conflicted with are excluded in SQL (reviews.bidding.queries.biddable):
they are never listed, searched, counted or bid on (a bid on one answers 404). Author names
appear only for papers in open tracks.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from mlsys.conferences.mixins import ConferenceMixin
from reviews.bidding import queries
from reviews.bidding.forms import BidForm
from reviews.bidding.services import place_bid
from reviews.enums import BidValue

PAGE_SIZE = 25
SORT_CHOICES = [("affinity", "Best match first"), ("number", "Paper number"), ("title", "Title")]
#: The radio scale; "conflict" is a separate, confirmed button.
SCALE = [(v, label) for v, label in BidValue.choices if v != BidValue.CONFLICT]


class BiddingMixin(ConferenceMixin):
    permission_required = "reviews.view_bidding"

    def bidding_url(self) -> str:
        return reverse("reviews:bidding", kwargs={"conference": self.conference.slug})

    def can_bid(self) -> bool:
        return self.request.viewer.has_perm("reviews.bid", self.conference)

    def row_context(self) -> dict:
        return {
            "conference": self.conference,
            "can_bid": self.can_bid(),
            "scale": SCALE,
        }


class BiddingView(BiddingMixin, TemplateView):
    template_name = "reviews/bidding/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, conference, params = self.request.user, self.conference, self.request.GET
        topics = list(conference.topics.order_by("area", "order", "name"))
        q = params.get("q", "").strip()[:200]
        topic_id = params.get("topic", "")
        topic = next((t for t in topics if str(t.pk) == topic_id), None)
        sort = params.get("sort", "affinity")
        sort = sort if sort in queries.SORTS else "affinity"

        qs = queries.for_bidding(user, conference)
        if q:
            qs = queries.search(qs, q)
        if topic is not None:
            qs = queries.with_topic(qs, topic.pk)
        page = Paginator(queries.sort(qs, sort), PAGE_SIZE).get_page(params.get("page"))
        filters = [("q", q), ("topic", topic.pk if topic else ""), ("sort", sort)]
        context.update(
            self.row_context(),
            page_obj=page,
            submissions=page.object_list,
            progress=queries.bid_progress(user, conference),
            topics=topics,
            q=q,
            topic=topic,
            sort=sort,
            sort_choices=SORT_CHOICES,
            filtered=bool(q or topic),
            querystring=urlencode([(k, v) for k, v in filters if v]),
            next_url=self.request.get_full_path(),
        )
        return context


class BidView(BiddingMixin, View):
    """Save one bid. htmx requests get the row back (plus the progress line out of band)."""

    def post(self, request, *args, **kwargs):
        htmx = request.headers.get("HX-Request") == "true"
        if not self.can_bid():
            return self._refuse("Bidding is closed; your bids can no longer be changed.", htmx)
        submission = get_object_or_404(
            queries.for_bidding(request.user, self.conference), number=kwargs["number"]
        )
        if request.POST.get("conflict"):
            value = BidValue.CONFLICT
        else:
            form = BidForm(request.POST)
            if not form.is_valid():
                return self._refuse("Choose one of the bid values.", htmx, status=400)
            value = form.cleaned_data["value"]
        try:
            place_bid(user=request.viewer, submission=submission, value=value)
        except PermissionDenied:
            return self._refuse("You cannot bid on this paper.", htmx)
        if not htmx:
            if value == BidValue.CONFLICT:
                messages.success(
                    request, f"Conflict declared on #{submission.number}; it is hidden now."
                )
            return redirect(self._next())
        return HttpResponse(self._fragment(submission, value))

    def _fragment(self, submission, value: str) -> str:
        context = {
            **self.row_context(),
            "progress": queries.bid_progress(self.request.user, self.conference),
            "oob": True,
            "next_url": self._next(),
        }
        if value == BidValue.CONFLICT:
            context["number"] = submission.number
            template = "reviews/bidding/_conflicted.html"
        else:
            context["s"] = queries.for_bidding(self.request.user, self.conference).get(
                pk=submission.pk
            )
            context["saved"] = True
            template = "reviews/bidding/_row.html"
        return render_to_string(template, context, request=self.request)

    def _next(self) -> str:
        target = self.request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}
        ) and target.startswith(self.bidding_url()):
            return target
        return self.bidding_url()

    def _refuse(self, message: str, htmx: bool, status: int = 403):
        messages.error(self.request, message)
        if htmx:
            # htmx swaps nothing on an error status; reloading shows the message and the
            # page's current state (e.g. read-only once bidding has closed).
            response = HttpResponse(message, status=status)
            response["HX-Refresh"] = "true"
            return response
        return redirect(self._next())

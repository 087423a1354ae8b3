"""The chairs' filter form, shared by the HTML list, its export and the API (django-filter).

The fields only validate the request; the filtering itself is :func:`submissions.queries.
apply_filters` and :func:`submissions.queries.apply_sort`, so every consumer filters alike.
Choices are scoped to the conference on ``request.conference``.
"""

import django_filters
from django import forms

from mlsys.conferences.models import Topic, Track
from mlsys.core.numbers import IdMultipleChoiceFilter
from submissions import enums, queries
from submissions.models import Tag

SORT_CHOICES = [
    choice
    for key in queries.SORTS
    for choice in ((key, f"{key.capitalize()} ↑"), (f"-{key}", f"{key.capitalize()} ↓"))
]
CHECK_CHOICES = [
    *enums.CheckStatus.choices,
    (queries.NAMES_AUTHORS, "Names its authors (anonymity check failed)"),
    (queries.NO_PAPER, "No paper yet"),
]


def _conference(request):
    return getattr(request, "conference", None)


def _tracks(request):
    return Track.objects.filter(conference=_conference(request)).order_by("order", "name")


def _topics(request):
    return Topic.objects.filter(conference=_conference(request))


def _tags(request):
    return Tag.objects.filter(conference=_conference(request))


class SubmissionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="_noop",
        help_text="Number, title, abstract, author name or email, topic, status or check result.",
    )
    track = django_filters.ModelMultipleChoiceFilter(
        queryset=_tracks, to_field_name="slug", method="_noop", label="Track"
    )
    topic = IdMultipleChoiceFilter(
        queryset=_topics, field_name="topics", method="_noop", label="Topic"
    )
    status = django_filters.MultipleChoiceFilter(
        choices=enums.Status.choices, method="_noop", label="Status"
    )
    check = django_filters.MultipleChoiceFilter(
        choices=CHECK_CHOICES, method="_noop", label="Paper check"
    )
    tag = IdMultipleChoiceFilter(queryset=_tags, field_name="tags", method="_noop", label="Tag")
    has_conflicts = django_filters.BooleanFilter(
        method="_noop",
        label="Conflicts",
        widget=forms.Select(choices=[("", "Any"), ("true", "With conflicts"), ("false", "None")]),
    )
    # No empty option: it would repeat "Number ↑", which is the first choice and the default.
    sort = django_filters.ChoiceFilter(
        choices=SORT_CHOICES, method="_noop", label="Sort by", empty_label=None
    )

    def _noop(self, queryset, name, value):
        return queryset

    def list_filters(self) -> queries.ListFilters:
        """The validated filters. Tags and conflicts are the chairs' business: for anyone else
        (authors listing their own papers in the API) those two are ignored."""
        data = self.form.cleaned_data
        conference = _conference(self.request)
        viewer = getattr(self.request, "viewer", None)
        if not (viewer and viewer.has_perm("submissions.manage_submissions", conference)):
            data = {**data, "tag": [], "has_conflicts": None}
        tags = list(data.get("tag") or [])
        return queries.ListFilters(
            q=data.get("q") or "",
            tracks=list(data.get("track") or []),
            topics=list(data.get("topic") or []),
            statuses=list(data.get("status") or []),
            check_statuses=list(data.get("check") or []),
            tags=tags,
            has_conflicts=data.get("has_conflicts"),
            tags_hidden=queries.hidden_tag_ids(viewer, conference) if tags else frozenset(),
        )

    def filter_queryset(self, queryset):
        queryset = queries.apply_filters(queryset, self.list_filters())
        return queries.apply_sort(queryset, self.form.cleaned_data.get("sort") or "number")

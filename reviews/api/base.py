"""What every reviewing viewset shares: the conference and paper from the URL, the request's
viewer, and the answer rows."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from reviews.api import permissions as perms
from reviews.enums import FieldKind, FieldVisibility
from reviews.review_forms import display_value
from submissions.api.viewsets import ConferenceScopedMixin


def _path(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.INT, OpenApiParameter.PATH, description=description)


PK = _path("id", "The object's id.")
FIELD = _path("field", "The question's id.")
TAGS = ["reviewing"]


class ReviewingMixin(ConferenceScopedMixin):
    """Conference from the URL (404 if invisible) and the request's viewer (``self.viewer``)."""

    pagination_class = None
    filter_backends: list = []

    def is_schema(self) -> bool:
        return getattr(self, "swagger_fake_view", False)

    def get_paper(self):
        if not hasattr(self, "_paper"):
            self._paper = perms.paper(self.conference, self.kwargs["number"])
        return self._paper


def answer_rows(pairs) -> list[dict]:
    return [
        {
            "key": field.key,
            "label": field.label,
            "kind": field.kind,
            "visibility": field.visibility,
            "value": value,
            "display": display_value(field, value),
        }
        for field, value in pairs
    ]


#: Read serializers never decide visibility: viewsets hand them only what the pages would show
#: (answers already filtered by reviews.review_forms.visible_answers, names already replaced by
#: reviews.discussion.naming labels). Write serializers check shape; meaning (scales, word
#: limits, phases) is checked by the services, with the same messages as the pages.
ANSWER_VALUE = serializers.JSONField(help_text="An int for scores, a string otherwise.")


class AnswerSerializer(serializers.Serializer):
    """One answered question as the viewer may read it."""

    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=FieldKind.choices)
    visibility = serializers.ChoiceField(choices=FieldVisibility.choices)
    value = ANSWER_VALUE
    display = serializers.CharField(help_text='"4: Weak accept" for scores; text as written.')

"""Forms of the discussion: a comment (visibility limited to what the author may use) and a
helpfulness rating."""

from django import forms

from reviews.discussion.services import MAX_BODY
from reviews.enums import CommentVisibility
from reviews.models import ReviewRating


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_BODY,
        help_text="Markdown with $math$. Mention a committee member with @first-last or @email.",
    )
    visibility = forms.ChoiceField(label="Visible to", choices=())

    def __init__(self, *args, levels: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(CommentVisibility.choices)
        self.fields["visibility"].choices = [(level, labels[level]) for level in levels]


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_BODY,
        help_text="Markdown with $math$. Newly mentioned members are notified.",
    )


class RatingForm(forms.Form):
    helpfulness = forms.TypedChoiceField(
        choices=ReviewRating.Helpfulness.choices, coerce=int, widget=forms.RadioSelect
    )

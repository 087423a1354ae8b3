"""Forms of the chairs' affinity page."""

from django import forms

from reviews.affinity.backends import choices, configured_backend_name
from reviews.affinity.csv_import import DEFAULT_SOURCE, validate_source

MAX_UPLOAD_MB = 100


class ScoresUploadForm(forms.Form):
    file = forms.FileField(
        label="Scores file (CSV)",
        help_text="Rows of paper number, reviewer email, score; a header may name another order.",
    )
    source = forms.CharField(
        label="Store as source",
        initial=DEFAULT_SOURCE,
        max_length=20,
        help_text="Uploading again under the same name replaces those scores.",
    )
    rescale = forms.BooleanField(
        label="Rescale the file's scores to [0, 1]",
        required=False,
        help_text="Without it, every score must already lie between 0 and 1.",
    )

    def clean_source(self) -> str:
        source = self.cleaned_data["source"].strip()
        problem = validate_source(source)
        if problem:
            raise forms.ValidationError(problem)
        return source

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(f"The file is larger than {MAX_UPLOAD_MB} MB.")
        return upload


class PaperLookupForm(forms.Form):
    paper = forms.IntegerField(label="Paper number", min_value=1, required=False)
    source = forms.ChoiceField(label="Scores", required=False)

    def __init__(self, *args, sources: list[str], **kwargs):
        # Shown on the page next to the upload form, which has a "source" field too.
        kwargs.setdefault("auto_id", "id_lookup_%s")
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(s, s) for s in sources]


class ComputeForm(forms.Form):
    """Which backend the "Compute affinities" button runs: those installed here, the configured
    one (``AFFINITY_BACKEND``) first chosen."""

    backend = forms.ChoiceField(label="Backend", required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_compute_%s")
        super().__init__(*args, **kwargs)
        self.fields["backend"].choices = choices()
        self.fields["backend"].initial = configured_backend_name()
        if self.initial.get("backend") not in dict(self.fields["backend"].choices):
            self.initial.pop("backend", None)

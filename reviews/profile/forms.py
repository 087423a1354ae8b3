"""Forms of the PC member's profile (side and load, topic interests, expertise)."""

import re

from django import forms
from django.utils import timezone

from mlsys.conferences.enums import Area, Side
from reviews import enums
from reviews.models import Expertise
from reviews.profile import bibtex
from reviews.profile.services import MAX_SELF_LOAD

MAX_PASTE_CHARS = 200_000
_YEAR_SUFFIX = re.compile(r"^(?P<title>.*?)[\s,.;]*\(?(?P<year>(19|20)\d\d)\)?\s*$")


class SideLoadForm(forms.Form):
    side = forms.ChoiceField(
        label="Your side",
        choices=Side.choices,
        widget=forms.RadioSelect,
        help_text="Which community you review for. Every paper gets reviewers from both sides.",
    )
    max_load = forms.IntegerField(
        label="Maximum number of papers",
        min_value=1,
        max_value=MAX_SELF_LOAD,
        help_text=f"At most {MAX_SELF_LOAD}; the chairs can agree to more on request.",
    )


class TopicInterestForm(forms.Form):
    """One radio group per conference topic, named ``topic_<id>``."""

    def __init__(self, *args, topics, levels: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = list(topics)
        for topic in self.topics:
            self.fields[f"topic_{topic.pk}"] = forms.TypedChoiceField(
                label=topic.name,
                choices=enums.InterestLevel.choices,
                coerce=int,
                initial=levels.get(topic.pk, enums.InterestLevel.NONE),
                widget=forms.RadioSelect,
            )

    def groups(self) -> list[tuple[str, list]]:
        """(area label, bound fields) for ML then Systems, for the template."""
        return [
            (label, [self[f"topic_{t.pk}"] for t in self.topics if t.area == area])
            for area, label in Area.choices
        ]

    def levels(self) -> dict[int, int]:
        return {topic.pk: self.cleaned_data[f"topic_{topic.pk}"] for topic in self.topics}


class ExpertiseForm(forms.ModelForm):
    year = forms.IntegerField(required=False, min_value=1900)

    class Meta:
        model = Expertise
        fields = ["title", "abstract", "year"]
        widgets = {"abstract": forms.Textarea(attrs={"rows": 5})}

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year is not None and year > timezone.now().year + 1:
            raise forms.ValidationError("A year in the future? Leave it empty if unsure.")
        return year

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("A paper needs a title.")
        return title


class ExpertiseSelectionForm(forms.Form):
    """Which of the person's papers count at this conference (checkboxes in the papers table)."""

    used = forms.ModelMultipleChoiceField(
        queryset=Expertise.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose among your own papers; reload the page."},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["used"].queryset = Expertise.objects.filter(user=user)


def parse_pasted(text: str) -> list[dict]:
    """Papers from pasted text: blocks separated by blank lines, a title line (optionally ending
    in a year such as "(2023)") followed by the abstract."""
    papers = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        title, year = lines[0], None
        match = _YEAR_SUFFIX.match(title)
        if match and match.group("title"):
            title, year = match.group("title"), int(match.group("year"))
        papers.append({"title": title[:500], "abstract": " ".join(lines[1:]), "year": year})
    return papers


class ExpertisePasteForm(forms.Form):
    text = forms.CharField(
        label="Paste several papers",
        max_length=MAX_PASTE_CHARS,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="One paper per block: the title on the first line (a year such as “(2023)” "
        "at its end is read), the abstract below it, and a blank line between papers.",
        error_messages={"required": "Paste at least one title (and its abstract)."},
    )

    def clean_text(self) -> list[dict]:
        papers = parse_pasted(self.cleaned_data["text"])
        if not papers:
            raise forms.ValidationError("Paste at least one title (and its abstract).")
        return papers


class BibtexImportForm(forms.Form):
    file = forms.FileField(
        label="BibTeX file",
        help_text=f"A .bib file of your papers, up to {bibtex.MAX_BYTES // 1000} kB. Titles, "
        "abstracts and years are imported from @article, @inproceedings and similar entries.",
        widget=forms.ClearableFileInput(attrs={"accept": ".bib,.bibtex,.txt,text/plain"}),
    )

    def clean_file(self) -> list[bibtex.Entry]:
        upload = self.cleaned_data["file"]
        if upload.size > bibtex.MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size // 1000} kB; the limit is {bibtex.MAX_BYTES // 1000} kB."
            )
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        if "\x00" in text:
            raise forms.ValidationError("This is not a text file.")
        result = bibtex.parse(text)
        if result.errors:
            # Nothing is imported from a file with problems: the reviewer fixes it and retries.
            raise forms.ValidationError(
                [f"Line {line}: {message}" for line, message in result.errors]
                + ["Nothing was imported; fix these entries (or remove them) and upload again."]
            )
        if not result.entries:
            raise forms.ValidationError(
                "No entries with a title were found (expected @article, @inproceedings, …)."
            )
        return result.entries

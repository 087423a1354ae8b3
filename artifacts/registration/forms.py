"""Forms of the authors' pages: the registration (every field a plain text box; the values are
read by artifacts.registration.validation, the same code the API goes through), the appendix
upload, the AE chair's return note and the withdrawal confirmation."""

from __future__ import annotations

from django import forms

from artifacts import enums

EXPERIMENT_HELP = (
    "One experiment per line: name | human minutes | compute hours, e.g. "
    "“Figure 3 | 15 | 2.5”. At most 100."
)
DATASET_HELP = (
    "One per line: name | dataset or model | size in GB | URL (optional), e.g. "
    "“ImageNet subset | dataset | 12 | https://…”. At most 100."
)


def rows_text(rows: list[dict], keys: tuple[str, ...]) -> str:
    def cell(value):
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return "" if value is None else str(value)

    return "\n".join(" | ".join(cell(row.get(k)) for k in keys).rstrip(" |") for row in rows)


class RegistrationForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    badges = forms.MultipleChoiceField(
        label="Badges requested",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    summary = forms.CharField(
        label="Summary",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the artifact contains and which of the paper's claims it supports.",
    )
    repository_url = forms.CharField(
        label="Repository URL",
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://github.com/lab/artifact"}),
    )
    version = forms.CharField(
        label="Version",
        required=False,
        help_text="An immutable version: a commit hash (7 to 40 hexadecimal characters) or a "
        "release tag (v1.0). Not a branch such as main.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    doi = forms.CharField(
        label="DOI",
        required=False,
        help_text="e.g. 10.5281/zenodo.1234567 (Zenodo, FigShare, Software Heritage).",
    )
    licence = forms.CharField(
        label="Licence", required=False, help_text="An SPDX identifier: MIT, Apache-2.0, CC-BY-4.0…"
    )
    packaging = forms.ChoiceField(
        label="Packaging",
        required=False,
        choices=[("", "—")] + list(enums.Packaging.choices),
    )
    packaging_notes = forms.CharField(
        label="Packaging notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Image name, VM download, entry point.",
    )
    gpu_model = forms.CharField(label="GPU model", required=False)
    gpu_count = forms.CharField(
        label="GPUs", required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    cpu_cores = forms.CharField(
        label="CPU cores", required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    ram_gb = forms.CharField(
        label="RAM (GB)", required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    disk_gb = forms.CharField(
        label="Disk (GB)", required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    special_hardware = forms.CharField(
        label="Special hardware",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line (TPU v4, InfiniBand, a testbed).",
    )
    experiments = forms.CharField(
        label="Experiments and their time",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=EXPERIMENT_HELP,
    )
    datasets = forms.CharField(
        label="Datasets and models",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=DATASET_HELP,
    )
    access_instructions = forms.CharField(
        label="Access instructions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How the evaluators reach the artifact and the machines it needs.",
    )
    access_secret = forms.CharField(
        label="Access credentials",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off", "spellcheck": "false"}),
        help_text="Passwords, keys or tokens for the evaluators. Stored encrypted, shown only "
        "on the artifact's page to you, its evaluators and the AE chairs, never emailed. Leave "
        "empty to keep what is stored.",
    )
    clear_access_secret = forms.BooleanField(label="Delete the stored credentials", required=False)
    contact = forms.ChoiceField(label="Contact author", required=False)

    def __init__(self, *args, badges=(), contacts=(), has_secret=False, badges_locked=False, **kw):
        super().__init__(*args, **kw)
        self.badge_rows = list(badges)
        self.fields["badges"].choices = [(str(b.pk), b.label) for b in self.badge_rows]
        self.fields["badges"].disabled = badges_locked
        self.fields["contact"].choices = [("", "—")] + [
            (str(u.pk), u.name or u.email) for u in contacts
        ]
        if not has_secret:
            del self.fields["clear_access_secret"]

    def service_data(self) -> dict:
        """The values for the services (validation.clean reads them)."""
        data = dict(self.cleaned_data)
        data.pop("revision", None)
        data.pop("badges", None)
        return data


def initial_for(artifact) -> dict:
    return {
        "revision": artifact.revision,
        "badges": [str(rb.badge_id) for rb in artifact.requested_badges.all()],
        "summary": artifact.summary,
        "repository_url": artifact.repository_url,
        "version": artifact.version,
        "doi": artifact.doi,
        "licence": artifact.licence,
        "packaging": artifact.packaging,
        "packaging_notes": artifact.packaging_notes,
        "gpu_model": artifact.gpu_model,
        "gpu_count": artifact.gpu_count,
        "cpu_cores": artifact.cpu_cores or "",
        "ram_gb": artifact.ram_gb or "",
        "disk_gb": artifact.disk_gb or "",
        "special_hardware": "\n".join(artifact.special_hardware or []),
        "experiments": rows_text(
            artifact.experiments or [], ("name", "human_minutes", "compute_hours")
        ),
        "datasets": rows_text(artifact.datasets or [], ("name", "kind", "size_gb", "url")),
        "access_instructions": artifact.access_instructions,
        "contact": str(artifact.contact_id or ""),
    }


class AppendixForm(forms.Form):
    appendix = forms.FileField(label="Artifact appendix (PDF)")


class ReturnForm(forms.Form):
    note = forms.CharField(
        label="What the authors should change",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Sent to the authors in the email and shown on the artifact's page.",
    )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label="Withdraw this artifact from the evaluation. This cannot be undone.", required=True
    )

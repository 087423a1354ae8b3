"""Forms of the AE committee pages: invite one person, an evaluator's load, the hardware
profile. The CSV import reuses the conferences app's ImportForm."""

from __future__ import annotations

from django import forms

from artifacts.committee import services
from mlsys.conferences import invitation_forms
from mlsys.conferences.enums import Role


class InviteForm(invitation_forms.InviteForm):
    """The conference's invitation form for the AE roles: no side; the load is full
    evaluations, empty for the conference's default."""

    side = None
    role = forms.ChoiceField(
        choices=[(r.value, r.label) for r in services.AE_ROLES], initial=Role.AE_EVALUATOR
    )
    max_load = forms.IntegerField(
        label="Most full evaluations",
        min_value=0,
        max_value=services.MAX_LOAD,
        required=False,
        help_text="Empty: the conference's default.",
    )


class LoadForm(forms.Form):
    max_load = forms.IntegerField(
        label="Most full evaluations",
        min_value=0,
        max_value=services.MAX_LOAD,
        required=False,
        help_text="Empty: the conference's default.",
    )


class HardwareForm(forms.Form):
    gpus = forms.CharField(
        label="GPUs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "4 x A100 80GB\n1 x RTX 4090"}),
        help_text="One kind per line: how many, “x”, the model. “4 x A100 80GB”.",
    )
    cpu_cores = forms.IntegerField(
        label="CPU cores", min_value=0, max_value=services.MAXIMA["cpu_cores"], required=False
    )
    ram_gb = forms.IntegerField(
        label="RAM (GB)", min_value=0, max_value=services.MAXIMA["ram_gb"], required=False
    )
    disk_gb = forms.IntegerField(
        label="Disk (GB)", min_value=0, max_value=services.MAXIMA["disk_gb"], required=False
    )
    cloud_credits = forms.CharField(
        max_length=200, required=False, help_text="e.g. “AWS, about $500”."
    )
    cloud_gpus = forms.BooleanField(label="I can rent GPUs in the cloud", required=False)
    testbeds = forms.CharField(
        label="Testbeds and special hardware",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line, e.g. “CloudLab”, “TPU v4”, “InfiniBand”.",
    )
    notes = forms.CharField(
        required=False, max_length=services.MAX_NOTES, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_gpus(self):
        return services.parse_gpu_lines(self.cleaned_data["gpus"])

    def clean_testbeds(self):
        return [t.strip() for t in self.cleaned_data["testbeds"].splitlines() if t.strip()]

    @classmethod
    def initial_for(cls, profile) -> dict:
        return {
            "gpus": services.gpu_text(profile),
            "cpu_cores": profile.cpu_cores,
            "ram_gb": profile.ram_gb,
            "disk_gb": profile.disk_gb,
            "cloud_credits": profile.cloud_credits,
            "cloud_gpus": profile.cloud_gpus,
            "testbeds": "\n".join(profile.testbeds or []),
            "notes": profile.notes,
        }

"""The chairs' email template editor form."""

from django import forms
from django.core.exceptions import ValidationError

from mlsys.mail.overrides import check_placeholders


class TemplateForm(forms.Form):
    subject = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 16}))

    def __init__(self, *args, key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key

    def clean(self):
        data = super().clean()
        if "subject" in data and "body" in data:
            try:
                check_placeholders(self.key, subject=data["subject"], body=data["body"])
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    self.add_error(name, messages)
        return data

from django import forms


class ReleaseForm(forms.Form):
    """Confirm a release: the scope (every track, or one) and the fingerprint of what the chair
    read (decisions.release.queries.fingerprints)."""

    track = forms.IntegerField(required=False, widget=forms.HiddenInput)
    expected = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference

    def clean_track(self):
        pk = self.cleaned_data.get("track")
        if pk is None:
            return None
        track = self.conference.tracks.filter(pk=pk).first()
        if track is None:
            raise forms.ValidationError("Choose one of this conference's tracks.")
        return track

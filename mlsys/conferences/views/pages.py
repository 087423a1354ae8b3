"""The conference landing page: public for public conferences."""

from django.views.generic import TemplateView

from mlsys.conferences.enums import Area, DeadlineKind, Phase
from mlsys.conferences.mixins import ConferenceMixin
from mlsys.conferences.phases import ORDER


class ConferenceDetailView(ConferenceMixin, TemplateView):
    template_name = "conferences/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        conference = self.conference
        timeline = conference.timeline()
        deadlines = conference.deadline_map()
        topics = list(conference.topics.all())
        context.update(
            deadlines=[deadlines[k] for k in DeadlineKind.values if k in deadlines],
            open_phases=[Phase(p) for p in timeline.open_phases],
            current_phase=Phase(timeline.current),
            phase_rows=[(Phase(p), timeline.is_open(p)) for p in ORDER],
            tracks=list(conference.tracks.all()),
            # The artifact results page is public; link it once the conference has AE dates.
            has_artifact_evaluation=DeadlineKind.AE_REGISTRATION in deadlines,
            topic_groups=[
                (label, [t for t in topics if t.area == area]) for area, label in Area.choices
            ],
        )
        return context

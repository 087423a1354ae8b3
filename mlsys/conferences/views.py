from django.views.generic import TemplateView

from mlsys.conferences.mixins import ConferenceMixin


class ConferenceDetailView(ConferenceMixin, TemplateView):
    template_name = "conferences/detail.html"

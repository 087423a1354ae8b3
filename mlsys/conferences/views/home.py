"""The home page: the visitor's conferences, each with their roles and what waits for them
there, then the other conferences they may see."""

from django.views.generic import TemplateView

from mlsys.conferences import homepage
from mlsys.conferences.home import conference_blocks


class HomeView(TemplateView):
    """One block per conference the visitor takes part in, holding the registered providers'
    sections about it (mlsys.conferences.homepage: a chair's desk, reviews to finish, papers and
    what they need), then page-wide sections and the other conferences."""

    template_name = "conferences/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sections = homepage.sections_for(self.request)
        for section in sections:
            context.update(section.context)
        mine, others = conference_blocks(self.request, sections)
        context["sections"] = [s for s in sections if s.conference_id is None]
        context["conference_blocks"] = mine
        context["other_conferences"] = others
        return context

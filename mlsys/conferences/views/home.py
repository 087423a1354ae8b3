"""The home page: the visitor's tasks and conferences."""

from django.views.generic import TemplateView

from mlsys.conferences import homepage


class HomeView(TemplateView):
    """One section per registered provider (mlsys.conferences.homepage), e.g. reviews to finish,
    papers and what they need, chairs' alerts, the visitor's conferences."""

    template_name = "conferences/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sections = homepage.sections_for(self.request)
        for section in sections:
            context.update(section.context)
        context["sections"] = sections
        return context

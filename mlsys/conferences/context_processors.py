"""Puts the current conference (if the URL names one) and its timeline in every template.
Templates ask the request's viewer what the user may do there
(``{% has_perm "…" request.viewer conference as … %}``)."""


def conference_nav(request):
    conference = getattr(request, "conference", None)
    if conference is None:
        return {}
    return {
        "conference": conference,
        "timeline": conference.timeline(),
        "is_chair": request.viewer.has_perm("conferences.change_conference", conference),
    }

"""``{% decision_card submission %}``: a paper's released decision as its authors read it (the
outcome, the meta-review summary, the letter PDF), for the author pages of the apps below
(the submission page, the reviews-and-response page). Those apps' templates name the tag; their
Python never imports decisions. Renders nothing before release, or for anyone who may not read
the decision."""

from django import template

from decisions.enums import DecisionStatus
from decisions.letters.queries import meta_review_summary
from decisions.models import Decision

register = template.Library()


@register.inclusion_tag("decisions/_decision_card.html", takes_context=True)
def decision_card(context, submission, meta: bool = True):
    request = context.get("request")
    viewer = getattr(request, "viewer", None)
    decision = None
    if viewer is not None and viewer.has_perm("decisions.view_decision", submission):
        decision = (
            Decision.objects.filter(submission=submission, status=DecisionStatus.RELEASED)
            .select_related("outcome")
            .first()
        )
    return {
        "conference": submission.conference,
        "submission": submission,
        "decision": decision,
        "meta_summary": meta_review_summary(submission) if decision and meta else "",
    }

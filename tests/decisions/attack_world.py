"""One conference at the end of its reviewing, for the attack and visibility tests.

Paper X ("Quiet paper") is the conflicted chair's conflict. Everything about it that the conflicted
chair, the PC, outsiders and (before release) its authors may not learn carries a marker:
its reviewer's name, a PC-only review answer, the decision's reason, the meta-review's summary, a
discussion comment and a tag. Paper Y is decided and reviewed normally, with no marker.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from decisions import services
from decisions.outcomes import outcomes_of
from mlsys.conferences import enums
from reviews.enums import FieldKind, FieldVisibility
from tests import factories

#: Who reviews X: nobody but the unconflicted chair (and, never, the authors) may read this name.
REVIEWER = "Zed Hiddenreviewer"
#: Never shown to authors, nor to anyone conflicted. (The tag's name is the chairs' vocabulary,
#: listed in the tag filters as on the submissions pages: only that X carries it is hidden.)
PRIVATE = "MKPRIVATE"
REASON = "MKREASON"
COMMENT = "MKCOMMENT"
TAG = "mktag"
#: Authors read these once X's decision is released; the conflicted chair never does.
FOR_AUTHORS = "MKAUTHORVISIBLE"
META = "MKMETASUMMARY"

NEVER = (REVIEWER, PRIVATE, REASON, COMMENT)
AFTER_RELEASE = (FOR_AUTHORS, META)
ALL = NEVER + AFTER_RELEASE


def review_form(conference):
    form = factories.ReviewFormFactory(conference=conference)
    factories.ReviewFieldFactory(
        form=form,
        key="overall_merit",
        label="Overall merit",
        scale=[{"value": v, "label": str(v)} for v in range(1, 7)],
    )
    factories.ReviewFieldFactory(
        form=form,
        key="confidence",
        label="Confidence",
        scale=[{"value": v, "label": str(v)} for v in range(1, 5)],
    )
    factories.ReviewFieldFactory(
        form=form,
        key="comments",
        label="Comments for the authors",
        kind=FieldKind.TEXT,
        visibility=FieldVisibility.AUTHORS,
    )
    factories.ReviewFieldFactory(
        form=form,
        key="private",
        label="Confidential comments",
        kind=FieldKind.TEXT,
        visibility=FieldVisibility.PC,
    )
    return form


def member(conference, name, side=enums.Side.ML, role=enums.Role.PC_MEMBER):
    user = factories.UserFactory(name=name)
    factories.MembershipFactory(conference=conference, user=user, role=role, side=side)
    return user


def review(paper, reviewer, form, merit, comments="Fine.", private="Nothing."):
    assignment = factories.AssignmentFactory(submission=paper, reviewer=reviewer)
    return factories.ReviewFactory(
        assignment=assignment,
        form=form,
        state="submitted",
        answers={
            "overall_merit": merit,
            "confidence": 3,
            "comments": comments,
            "private": private,
        },
    )


@dataclass
class World:
    conference: object
    chair: object
    conflicted_chair: object
    pc: object
    conflicted_pc: object
    author: object
    outsider: object
    x: object
    y: object
    outcomes: dict = field(default_factory=dict)

    def release(self):
        services.release_decisions(conference=self.conference, actor=self.chair)
        self.x.refresh_from_db()
        self.y.refresh_from_db()


def build(conference, chair, conflicted_chair, author, outsider) -> World:
    form = review_form(conference)
    pc = member(conference, "Pat Member")
    conflicted_pc = member(conference, "Cody Conflicted-Member")
    ml = member(conference, REVIEWER)
    systems = member(conference, "Sue Systems", side=enums.Side.SYSTEMS)
    other_ml = member(conference, "Olga Other")
    other_sys = member(conference, "Stan Other", side=enums.Side.SYSTEMS)
    x = factories.SubmissionFactory(
        conference=conference, number=7, title="Quiet paper", authors=[author]
    )
    y = factories.SubmissionFactory(
        conference=conference,
        number=8,
        title="Loud paper",
        authors=[factories.UserFactory(name="Yan Other-Author")],
    )
    factories.ConflictFactory(submission=x, user=conflicted_chair, state="confirmed")
    factories.ConflictFactory(submission=x, user=conflicted_pc, state="confirmed")
    review(x, ml, form, 6, comments=f"{FOR_AUTHORS} nice.", private=f"{PRIVATE} sure.")
    review(x, systems, form, 1, comments=f"{FOR_AUTHORS} meh.", private=f"{PRIVATE} no.")
    review(y, other_ml, form, 3)
    review(y, other_sys, form, 4)
    factories.MetaReviewFactory(
        submission=x, lead=pc, state="submitted", summary=META, recommendation="accept"
    )
    factories.CommentFactory(submission=x, author=ml, body=f"{COMMENT} here.")
    x.tags.add(factories.TagFactory(conference=conference, name=TAG))
    oral, poster, reject = outcomes_of(conference)
    services.record_decision(submission=x, outcome=oral, actor=chair, reason=REASON)
    services.record_decision(submission=y, outcome=reject, actor=chair, reason="Below the bar.")
    return World(
        conference=conference,
        chair=chair,
        conflicted_chair=conflicted_chair,
        pc=pc,
        conflicted_pc=conflicted_pc,
        author=author,
        outsider=outsider,
        x=x,
        y=y,
        outcomes={"oral": oral, "poster": poster, "reject": reject},
    )


def leaked(body: str, markers=ALL) -> list[str]:
    return [m for m in markers if m.lower() in body.lower()]

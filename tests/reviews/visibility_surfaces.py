"""The visibility matrix's data: the markers planted in the world, the surfaces (pages and API
endpoints) it fetches, and who may reach and see what on each (tests/reviews/
test_visibility_matrix.py)."""

from django.urls import reverse

from reviews.enums import CommentVisibility as V

TITLE = "MK-TITLE Sparse kernels"
AUTHOR_NAME = "Ada Author"


def review_answers(prefix: str) -> dict:
    return {
        "summary": f"MK-{prefix}-SUMMARY",
        "strengths": "Clear writing.",
        "weaknesses": "Small evaluation.",
        "ml_contribution": 3,
        "systems_contribution": 3,
        "reproducibility": 3,
        "overall_merit": 4,
        "confidence": 3,
        "comments_for_pc": f"MK-{prefix}-PCNOTE",
        "comments_for_chairs": f"MK-{prefix}-CHAIRNOTE",
    }


def markers(prefix: str) -> set[str]:
    return {f"MK-{prefix}-SUMMARY", f"MK-{prefix}-PCNOTE", f"MK-{prefix}-CHAIRNOTE"}


ML, R3, SYS = markers("ML"), markers("R3"), markers("SYS")
COMMENTS = {level: f"MK-CMT-{level.upper()}" for level in V.values}
RESPONSE, META = "MK-RESPONSE", "MK-META"
ALL_MARKERS = ML | R3 | SYS | set(COMMENTS.values()) | {RESPONSE, META}


def _page(name, *, paper=True, extra=None):
    def url(w) -> str:
        kwargs = {"conference": w.conference.slug}
        if paper:
            kwargs["number"] = w.paper.number
        kwargs.update(extra(w) if extra else {})
        return reverse(name, kwargs=kwargs)

    return ("page", url)


def _api(suffix):
    def url(w) -> str:
        return f"/api/v1/conferences/{w.conference.slug}/" + suffix(w)

    return ("api", url)


N = "submissions/{n}/"

SURFACES = {
    "page:paper": _page("reviews:paper"),
    "page:review": _page("reviews:review"),
    "page:history_of_other_review": _page(
        "reviews:review_history", extra=lambda w: {"pk": w.rita_review.pk}
    ),
    "page:response": _page("reviews:response"),
    "page:meta_review": _page("reviews:meta_review"),
    "page:my_papers": _page("reviews:my_papers", paper=False),
    "page:bidding": _page("reviews:bidding", paper=False),
    "page:progress": _page("reviews:progress", paper=False),
    "page:chair_list": _page("submissions:chair_list", paper=False),
    "page:leads": _page("reviews:leads", paper=False),
    "page:affinities": _page("reviews:affinities", paper=False),
    "page:assignment": _page("reviews:assignment", paper=False),
    "page:assignment_paper": _page("reviews:assignment_paper"),
    "page:proposal": _page("reviews:proposal", paper=False, extra=lambda w: {"pk": w.proposal.pk}),
    "page:proposal_undo": _page(
        "reviews:proposal_undo", paper=False, extra=lambda w: {"pk": w.proposal.pk}
    ),
    "page:proposal_add": _page("reviews:proposal_add", extra=lambda w: {"pk": w.proposal.pk}),
    "page:proposal_swap": _page(
        "reviews:proposal_swap",
        paper=False,
        extra=lambda w: {"pk": w.proposal.pk, "pair": w.pair.pk},
    ),
    "page:chair_export": _page("submissions:chair_export", paper=False),
    "api:review_forms": _api(lambda w: "review-forms/"),
    "api:reviews": _api(lambda w: "reviews/"),
    "api:other_review": _api(lambda w: f"reviews/{w.rita_review.pk}/"),
    "api:paper_reviews": _api(lambda w: N.format(n=w.paper.number) + "reviews/"),
    "api:author_reviews": _api(lambda w: N.format(n=w.paper.number) + "author-reviews/"),
    "api:comments": _api(lambda w: N.format(n=w.paper.number) + "comments/"),
    "api:reviewers_comment": _api(
        lambda w: N.format(n=w.paper.number) + f"comments/{w.reviewers_comment.pk}/"
    ),
    "api:response": _api(lambda w: N.format(n=w.paper.number) + "response/"),
    "api:meta_review": _api(lambda w: N.format(n=w.paper.number) + "meta-review/"),
}

#: Viewers answered 200 per surface (everyone else: 404; anonymous: login / 401).
ALLOWED = {
    "page:paper": {"chair", "reviewer_submitted", "reviewer_not_submitted", "bystander_pc"},
    "page:review": {"reviewer_submitted", "reviewer_not_submitted"},
    "page:history_of_other_review": {"chair"},
    "page:response": {"author_in_response", "author_before_response", "chair_author"},
    "page:meta_review": {"chair", "reviewer_submitted"},
    "page:my_papers": {
        "reviewer_submitted",
        "reviewer_not_submitted",
        "bystander_pc",
        "conflicted_pc",
        "external_other_paper",
    },
    "page:bidding": {
        "reviewer_submitted",
        "reviewer_not_submitted",
        "bystander_pc",
        "conflicted_pc",
    },
    "page:progress": {"chair", "conflicted_chair", "chair_author"},
    "page:chair_list": {"chair", "conflicted_chair", "chair_author"},
    "page:chair_export": {"chair", "conflicted_chair", "chair_author"},
    "page:leads": {"chair", "conflicted_chair", "chair_author"},
    "page:affinities": {"chair", "conflicted_chair", "chair_author"},
    "page:assignment": {"chair", "conflicted_chair", "chair_author"},
    "page:assignment_paper": {"chair"},
    "page:proposal": {"chair", "conflicted_chair", "chair_author"},
    "page:proposal_undo": {"chair", "conflicted_chair", "chair_author"},
    "page:proposal_add": {"chair"},
    "page:proposal_swap": {"chair"},
    "api:review_forms": {
        "chair",
        "conflicted_chair",
        "reviewer_submitted",
        "reviewer_not_submitted",
        "bystander_pc",
        "conflicted_pc",
        "external_other_paper",
        "chair_author",
    },
    # Everyone with access to the conference lists "their" reviews (possibly none).
    "api:reviews": {
        "chair",
        "conflicted_chair",
        "reviewer_submitted",
        "reviewer_not_submitted",
        "bystander_pc",
        "conflicted_pc",
        "external_other_paper",
        "author_in_response",
        "author_before_response",
        "outsider",
        "chair_author",
    },
    "api:other_review": {"chair"},
    "api:paper_reviews": {"chair", "reviewer_submitted", "reviewer_not_submitted"},
    "api:author_reviews": {"author_in_response"},
    "api:comments": {
        "chair",
        "reviewer_submitted",
        "reviewer_not_submitted",
        "bystander_pc",
        "author_in_response",
    },
    "api:reviewers_comment": {"chair", "reviewer_submitted", "reviewer_not_submitted"},
    "api:response": {
        "chair",
        "reviewer_submitted",
        "reviewer_not_submitted",
        "author_in_response",
        "author_before_response",
        "chair_author",
    },
    "api:meta_review": {"chair", "reviewer_submitted", "reviewer_not_submitted"},
}

#: Chair pages that list the whole reviewer pool (loads, missing expertise) by name: a PC
#: member's name there says nothing about #1, so identities are not checked on them;
#: test_conflicted_chair_sees_no_reviewer_of_the_paper checks #1's own row instead.
POOL_LISTS = {"page:assignment", "page:affinities"}

#: Pages that answer an anonymous visitor 404 rather than a login redirect (none at present).
ANONYMOUS_404: set[str] = set()

IDENTITIES = {"mia", "mia_email", "sam", "sam_email", "rita", "rita_email"}
AUTHOR_IDENTITY = {"author", "author_email"}
COMMITTEE_COMMENTS = {COMMENTS[V.REVIEWERS], COMMENTS[V.PC], COMMENTS[V.AUTHORS]}

#: What each viewer may read anywhere: markers, identity keys (World.names) and the title.
MAY_SEE = {
    # Chairs read every submitted review in full, never a draft's answers (as on the page).
    "chair": (ALL_MARKERS - SYS, IDENTITIES | AUTHOR_IDENTITY, True),
    "conflicted_chair": (set(), AUTHOR_IDENTITY | {"mia", "mia_email", "sam", "sam_email"}, True),
    # A chair who co-authors #1 (no Conflict row: the Author row is the conflict) sees what a
    # conflicted chair and what an author before the response phase see, nothing more.
    "chair_author": (
        {RESPONSE},
        AUTHOR_IDENTITY | {"mia", "mia_email", "sam", "sam_email"},
        True,
    ),
    "reviewer_submitted": (
        ML | {"MK-R3-SUMMARY", "MK-R3-PCNOTE"} | COMMITTEE_COMMENTS | {RESPONSE, META},
        {"mia", "mia_email"},
        True,
    ),
    "reviewer_not_submitted": (
        SYS | COMMITTEE_COMMENTS | {RESPONSE, META},
        {"sam", "sam_email"},
        True,
    ),
    "bystander_pc": ({COMMENTS[V.PC]}, set(), True),
    "conflicted_pc": (set(), set(), False),
    "external_other_paper": (set(), set(), False),
    "author_in_response": (
        {"MK-ML-SUMMARY", "MK-R3-SUMMARY", COMMENTS[V.AUTHORS], RESPONSE},
        AUTHOR_IDENTITY,
        True,
    ),
    "author_before_response": ({RESPONSE}, AUTHOR_IDENTITY, True),
    "outsider": (set(), set(), False),
    "anonymous": (set(), set(), False),
}

#: Content each allowed surface must show the viewer (proof the page is not just empty).
MUST_SHOW = {
    ("page:paper", "chair"): {"MK-ML-CHAIRNOTE", "MK-R3-PCNOTE", COMMENTS[V.CHAIRS]},
    ("page:paper", "reviewer_submitted"): {"MK-R3-SUMMARY", COMMENTS[V.REVIEWERS]},
    ("page:paper", "reviewer_not_submitted"): {"MK-SYS-SUMMARY"},
    ("page:paper", "bystander_pc"): {COMMENTS[V.PC]},
    ("page:review", "reviewer_submitted"): {"MK-ML-CHAIRNOTE"},
    ("page:response", "author_in_response"): {"MK-ML-SUMMARY", "MK-R3-SUMMARY"},
    ("page:meta_review", "reviewer_submitted"): {META},
    ("api:reviews", "chair"): {"MK-ML-CHAIRNOTE", "MK-R3-CHAIRNOTE"},
    ("api:reviews", "reviewer_submitted"): {"MK-ML-CHAIRNOTE"},
    ("api:reviews", "reviewer_not_submitted"): {"MK-SYS-CHAIRNOTE"},
    ("api:other_review", "chair"): {"MK-R3-CHAIRNOTE"},
    ("api:paper_reviews", "chair"): {"MK-R3-CHAIRNOTE", "MK-ML-PCNOTE"},
    ("api:paper_reviews", "reviewer_submitted"): {"MK-R3-PCNOTE"},
    ("api:paper_reviews", "reviewer_not_submitted"): {"MK-SYS-SUMMARY"},
    ("api:author_reviews", "author_in_response"): {"MK-ML-SUMMARY", "MK-R3-SUMMARY"},
    ("api:comments", "chair"): set(COMMENTS.values()),
    ("api:comments", "reviewer_submitted"): COMMITTEE_COMMENTS,
    ("api:comments", "bystander_pc"): {COMMENTS[V.PC]},
    ("api:comments", "author_in_response"): {COMMENTS[V.AUTHORS]},
    ("api:reviewers_comment", "reviewer_not_submitted"): {COMMENTS[V.REVIEWERS]},
    ("api:response", "reviewer_not_submitted"): {RESPONSE},
    ("api:response", "author_before_response"): {RESPONSE},
    ("api:meta_review", "reviewer_not_submitted"): {META},
    ("page:my_papers", "reviewer_submitted"): {TITLE},
    ("page:bidding", "bystander_pc"): {TITLE},
    ("page:chair_list", "conflicted_chair"): {TITLE},
    ("page:chair_list", "chair_author"): {TITLE, "Is an author"},
    ("page:assignment", "chair_author"): {"You are conflicted with this paper"},
    ("page:proposal", "chair_author"): {"1 paper you are conflicted with is not shown"},
    ("page:proposal_undo", "chair_author"): {"another chair must undo it"},
    ("api:response", "chair_author"): {RESPONSE},
    ("page:assignment", "conflicted_chair"): {"You are conflicted with this paper"},
    ("page:proposal", "conflicted_chair"): {"1 paper you are conflicted with is not shown"},
    ("page:proposal_undo", "conflicted_chair"): {"another chair must undo it"},
    ("page:assignment_paper", "chair"): {"Rita Thirdrev", "submitted review"},
    ("page:proposal", "chair"): {"Rita Thirdrev"},
    ("page:proposal_undo", "chair"): {"Rita Thirdrev", "a submitted review"},
}

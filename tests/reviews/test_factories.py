"""Every reviews model has a factory, and each builds a row consistent with its paper."""

import pytest
from django.apps import apps

from tests import factories

pytestmark = pytest.mark.django_db

REVIEWS_FACTORIES = {
    "TopicInterest": factories.TopicInterestFactory,
    "Expertise": factories.ExpertiseFactory,
    "ExpertiseExclusion": factories.ExpertiseExclusionFactory,
    "Bid": factories.BidFactory,
    "Affinity": factories.AffinityFactory,
    "AffinityRun": factories.AffinityRunFactory,
    "AssignmentProposal": factories.AssignmentProposalFactory,
    "ProposedPair": factories.ProposedPairFactory,
    "Assignment": factories.AssignmentFactory,
    "ReviewForm": factories.ReviewFormFactory,
    "ReviewField": factories.ReviewFieldFactory,
    "Review": factories.ReviewFactory,
    "ReviewRevision": factories.ReviewRevisionFactory,
    "ReviewRating": factories.ReviewRatingFactory,
    "Comment": factories.CommentFactory,
    "PaperFollow": factories.PaperFollowFactory,
    "AuthorResponse": factories.AuthorResponseFactory,
    "MetaReview": factories.MetaReviewFactory,
    "ExternalReviewRequest": factories.ExternalReviewRequestFactory,
}


def test_every_reviews_model_has_a_factory():
    models = {model.__name__ for model in apps.get_app_config("reviews").get_models()}

    assert models == set(REVIEWS_FACTORIES)


@pytest.mark.parametrize("name", sorted(REVIEWS_FACTORIES))
def test_each_factory_saves_a_row_of_its_model(name):
    obj = REVIEWS_FACTORIES[name]()

    model = apps.get_model("reviews", name)
    assert type(obj) is model
    assert model.objects.filter(pk=obj.pk).count() == 1


def test_a_review_belongs_to_its_assignment_paper_and_the_default_form():
    review = factories.ReviewFactory()

    assignment = review.assignment
    assert (review.submission, review.reviewer) == (assignment.submission, assignment.reviewer)
    assert assignment.conference == review.submission.conference
    assert (assignment.released, assignment.declined_at, assignment.kind) == (True, None, "manual")
    assert review.form.conference == review.submission.conference
    assert review.form.track is None
    assert factories.ReviewFactory(assignment__submission=review.submission).form == review.form


def test_a_proposed_pair_belongs_to_a_proposal_of_its_paper_conference():
    pair = factories.ProposedPairFactory()

    assert pair.proposal.conference == pair.submission.conference


def test_comment_mentions_are_set():
    mentioned = factories.UserFactory()

    comment = factories.CommentFactory(mentions=[mentioned])

    assert list(comment.mentions.all()) == [mentioned]


def test_a_review_field_has_a_scale_only_when_it_is_a_score():
    assert [s["value"] for s in factories.ReviewFieldFactory().scale] == [1, 2, 3, 4, 5]
    assert factories.ReviewFieldFactory(kind="text").scale == []
    assert factories.ReviewFieldFactory(kind="choice", choices=["Yes", "No"]).scale == []

"""factory_boy factories for the project: ``from tests import factories``."""

from datetime import timedelta

import factory
from django.utils import timezone

from mlsys.accounts.models import User
from mlsys.conferences import enums
from mlsys.conferences.models import (
    CommitteeMembership,
    Conference,
    Deadline,
    PhaseSetting,
    Topic,
    Track,
)

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    affiliation = factory.Faker("company")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """Give the user a verified primary allauth EmailAddress (pass verified=False to skip)."""
        if not create:
            return
        obj.save()
        if extracted is False:
            return
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(
            user=obj, email=obj.email, defaults={"verified": True, "primary": True}
        )


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conference
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"conf{n}")
    name = factory.LazyAttribute(lambda o: f"Conference {o.slug}")
    short_name = factory.LazyAttribute(lambda o: o.slug.upper())


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    conference = factory.SubFactory(ConferenceFactory)
    name = factory.Sequence(lambda n: f"Track {n}")
    slug = factory.Sequence(lambda n: f"track-{n}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    conference = factory.SubFactory(ConferenceFactory)
    name = factory.Sequence(lambda n: f"Topic {n}")
    area = enums.Area.ML


class DeadlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deadline

    conference = factory.SubFactory(ConferenceFactory)
    kind = enums.DeadlineKind.SUBMISSION
    at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMembership

    conference = factory.SubFactory(ConferenceFactory)
    user = factory.SubFactory(UserFactory)
    role = enums.Role.PC_MEMBER
    side = factory.LazyAttribute(lambda o: enums.Side.ML if o.role in enums.REVIEWING_ROLES else "")
    status = enums.InvitationStatus.ACCEPTED
    max_load = factory.LazyAttribute(lambda o: 8 if o.role in enums.REVIEWING_ROLES else None)


class PhaseSettingFactory(factory.django.DjangoModelFactory):
    """A chair's switch on one phase (one row per conference and phase)."""

    class Meta:
        model = PhaseSetting

    conference = factory.SubFactory(ConferenceFactory)
    phase = enums.Phase.SUBMISSION
    mode = enums.PhaseMode.OPEN


def conference_in_submission_phase(**kwargs) -> Conference:
    """A conference with Research (double-blind) and Industry tracks, ML and Systems topics and
    a schedule whose submission phase is open now."""
    conference = ConferenceFactory(**kwargs)
    now = timezone.now()
    TrackFactory(conference=conference, name="Research", slug="research", order=0)
    TrackFactory(
        conference=conference,
        name="Industry",
        slug="industry",
        order=1,
        anonymity=enums.Anonymity.NAMES_HIDDEN,
    )
    for i, name in enumerate(["Deep learning", "Optimization", "LLMs"]):
        TopicFactory(conference=conference, name=name, area=enums.Area.ML, order=i)
    for i, name in enumerate(["Compilers", "Distributed training", "Hardware accelerators"]):
        TopicFactory(conference=conference, name=name, area=enums.Area.SYSTEMS, order=i)
    schedule = {
        enums.DeadlineKind.REGISTRATION: now + timedelta(days=3),
        enums.DeadlineKind.SUBMISSION: now + timedelta(days=10),
        enums.DeadlineKind.BIDDING: now + timedelta(days=17),
        enums.DeadlineKind.REVIEW: now + timedelta(days=50),
        enums.DeadlineKind.RESPONSE_OPEN: now + timedelta(days=55),
        enums.DeadlineKind.RESPONSE_CLOSE: now + timedelta(days=60),
        enums.DeadlineKind.DECISION: now + timedelta(days=80),
    }
    for kind, at in schedule.items():
        DeadlineFactory(conference=conference, kind=kind, at=at)
    return conference


# --- Submissions (appended by the chairs/conflicts/API helper; reuse them) -----------------


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A submission in its conference's first track; pass ``authors=[user, ...]`` to add
    linked author rows (in order, the first one the contact)."""

    class Meta:
        model = "submissions.Submission"
        skip_postgeneration_save = True

    conference = factory.LazyFunction(lambda: conference_in_submission_phase())
    track = factory.LazyAttribute(lambda o: o.conference.tracks.order_by("order").first())
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Submission {n}")
    abstract = "We study things at scale."
    status = "submitted"

    @factory.post_generation
    def authors(obj, create, extracted, **kwargs):
        for i, user in enumerate(extracted or []):
            AuthorFactory(
                submission=obj,
                user=user,
                name=user.name,
                email=user.email,
                affiliation=user.affiliation,
                order=i,
                is_contact=i == 0,
            )


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "submissions.Author"

    submission = factory.SubFactory(SubmissionFactory)
    order = factory.Sequence(lambda n: n)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"author{n}@example.org")
    affiliation = ""


class SubmissionFileFactory(factory.django.DjangoModelFactory):
    """A stored paper version (a tiny placeholder body; tests of the PDF checks build real PDFs)."""

    class Meta:
        model = "submissions.SubmissionFile"

    submission = factory.SubFactory(SubmissionFactory)
    kind = "paper"
    file = factory.django.FileField(filename="paper.pdf", data=b"%PDF-1.7\n%%EOF\n")
    original_name = "paper.pdf"
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    size = 15
    content_type = "application/pdf"
    check_status = "passed"
    pages = 10


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "submissions.Tag"

    conference = factory.SubFactory(ConferenceFactory)
    name = factory.Sequence(lambda n: f"tag-{n}")


class ExtraFieldFactory(factory.django.DjangoModelFactory):
    """An optional one-line text question on a track's registration form."""

    class Meta:
        model = "submissions.ExtraField"

    track = factory.SubFactory(TrackFactory)
    label = factory.Sequence(lambda n: f"Extra question {n}")
    kind = "text"


class ConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "submissions.Conflict"

    submission = factory.SubFactory(SubmissionFactory)
    user = factory.SubFactory(UserFactory)
    source = "author_declared"
    state = "suggested"


# --- Reviews: one factory per model, each consistent with its conference and paper ----------


class TopicInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.TopicInterest"

    topic = factory.SubFactory(TopicFactory)
    conference = factory.SelfAttribute("topic.conference")
    user = factory.SubFactory(UserFactory)
    level = 1


class ExpertiseFactory(factory.django.DjangoModelFactory):
    """One of a person's papers; used at every conference (see ExpertiseExclusionFactory)."""

    class Meta:
        model = "reviews.Expertise"

    user = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"A paper of mine {n}")
    abstract = "Kernels, compilers and learned cost models."
    year = 2025


class ExpertiseExclusionFactory(factory.django.DjangoModelFactory):
    """A paper its owner set aside at one conference."""

    class Meta:
        model = "reviews.ExpertiseExclusion"

    expertise = factory.SubFactory(ExpertiseFactory)
    conference = factory.SubFactory(ConferenceFactory)


class BidFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.Bid"

    submission = factory.SubFactory(SubmissionFactory)
    user = factory.SubFactory(UserFactory)
    value = "willing"


class AffinityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.Affinity"

    submission = factory.SubFactory(SubmissionFactory)
    conference = factory.SelfAttribute("submission.conference")
    user = factory.SubFactory(UserFactory)
    source = "tfidf"
    score = 0.5


class AffinityRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.AffinityRun"

    conference = factory.SubFactory(ConferenceFactory)
    backend = "tfidf"
    status = "queued"


class AssignmentProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.AssignmentProposal"

    conference = factory.SubFactory(ConferenceFactory)
    status = "queued"


class ProposedPairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.ProposedPair"

    submission = factory.SubFactory(SubmissionFactory)
    proposal = factory.SubFactory(
        AssignmentProposalFactory, conference=factory.SelfAttribute("..submission.conference")
    )
    user = factory.SubFactory(UserFactory)
    change = "new"
    quality = 0.0


class AssignmentFactory(factory.django.DjangoModelFactory):
    """A released (live) manual assignment; pass ``released=False`` for a hidden one."""

    class Meta:
        model = "reviews.Assignment"

    submission = factory.SubFactory(SubmissionFactory)
    conference = factory.SelfAttribute("submission.conference")
    reviewer = factory.SubFactory(UserFactory)
    kind = "manual"
    released = True


class ReviewFormFactory(factory.django.DjangoModelFactory):
    """The conference's default form (``track`` empty); add questions with ReviewFieldFactory."""

    class Meta:
        model = "reviews.ReviewForm"

    conference = factory.SubFactory(ConferenceFactory)
    name = "Review form"


class ReviewFieldFactory(factory.django.DjangoModelFactory):
    """A required question, by default a 1-5 score (other kinds get no scale)."""

    class Meta:
        model = "reviews.ReviewField"

    form = factory.SubFactory(ReviewFormFactory)
    key = factory.Sequence(lambda n: f"field-{n}")
    label = factory.Sequence(lambda n: f"Question {n}")
    kind = "score"
    scale = factory.LazyAttribute(
        lambda o: [{"value": v, "label": str(v)} for v in range(1, 6)] if o.kind == "score" else []
    )
    order = factory.Sequence(lambda n: n)


class ReviewFactory(factory.django.DjangoModelFactory):
    """A draft review for its assignment; ``form`` defaults to the conference's default form
    (created when it doesn't exist yet)."""

    class Meta:
        model = "reviews.Review"

    assignment = factory.SubFactory(AssignmentFactory)
    submission = factory.SelfAttribute("assignment.submission")
    reviewer = factory.SelfAttribute("assignment.reviewer")
    form = factory.LazyAttribute(lambda o: _default_review_form(o.assignment.submission.conference))
    state = "draft"
    answers = factory.LazyFunction(dict)


def _default_review_form(conference):
    from reviews.models import ReviewForm

    form = ReviewForm.objects.filter(conference=conference, track__isnull=True).first()
    return form or ReviewFormFactory(conference=conference)


class ReviewRevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.ReviewRevision"

    review = factory.SubFactory(ReviewFactory, state="submitted")
    number = factory.LazyAttribute(lambda o: o.review.version)
    answers = factory.LazyAttribute(lambda o: dict(o.review.answers))
    changed_fields = factory.LazyFunction(list)


class ReviewRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.ReviewRating"

    review = factory.SubFactory(ReviewFactory, state="submitted")
    rater = factory.SubFactory(UserFactory)
    helpfulness = 1


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.Comment"
        skip_postgeneration_save = True

    submission = factory.SubFactory(SubmissionFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Discussion point {n}.")
    visibility = "reviewers"

    @factory.post_generation
    def mentions(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.mentions.set(extracted)


class PaperFollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.PaperFollow"

    submission = factory.SubFactory(SubmissionFactory)
    user = factory.SubFactory(UserFactory)


class AuthorResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.AuthorResponse"

    submission = factory.SubFactory(SubmissionFactory)
    text = "We thank the reviewers."
    per_review = factory.LazyFunction(dict)
    state = "draft"


class MetaReviewFactory(factory.django.DjangoModelFactory):
    """A paper's discussion lead, before they write the meta-review."""

    class Meta:
        model = "reviews.MetaReview"

    submission = factory.SubFactory(SubmissionFactory)
    lead = factory.SubFactory(UserFactory)
    state = "draft"


class ExternalReviewRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.ExternalReviewRequest"

    submission = factory.SubFactory(SubmissionFactory)
    requested_by = factory.SubFactory(UserFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"expert{n}@example.org")
    reason = "Knows the hardware side better than anyone on the committee."
    state = "pending"


# --- Accounts and mail -------------------------------------------------------------------------


class EmailAddressFactory(factory.django.DjangoModelFactory):
    """An extra, unverified address of a user (``UserFactory`` already gives the primary one)."""

    class Meta:
        model = "account.EmailAddress"

    user = factory.SubFactory(UserFactory)
    email = factory.Sequence(lambda n: f"alias{n}@example.net")
    verified = False
    primary = False


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.AffiliationHistory"

    user = factory.SubFactory(UserFactory)
    institution = factory.Sequence(lambda n: f"University {n}")


class CollaboratorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.Collaborator"

    user = factory.SubFactory(UserFactory)
    name = factory.Faker("name")


class EmailTemplateFactory(factory.django.DjangoModelFactory):
    """A conference's own wording of one email."""

    class Meta:
        model = "mail.EmailTemplate"

    conference = factory.SubFactory(ConferenceFactory)
    key = "generic.message"
    subject = factory.Sequence(lambda n: f"Subject {n}")
    body = "Hello."


class OutboundEmailFactory(factory.django.DjangoModelFactory):
    """A pending email in the outbox, of no conference."""

    class Meta:
        model = "mail.OutboundEmail"

    to = factory.LazyFunction(lambda: ["a@example.org"])
    subject = factory.Sequence(lambda n: f"Subject {n}")
    body = "Hello."
    # Due at once for the sweep, with the default time budget (mlsys.mail.schedule).
    next_attempt_at = factory.LazyFunction(timezone.now)
    give_up_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=48))


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "decisions.Outcome"

    conference = factory.LazyFunction(lambda: conference_in_submission_phase())
    label = factory.Sequence(lambda n: f"Accept {n}")
    kind = "accept"
    order = factory.Sequence(lambda n: n)


class DecisionFactory(factory.django.DjangoModelFactory):
    """A pending decision on a submitted paper (pass ``outcome`` to pick the conference's)."""

    class Meta:
        model = "decisions.Decision"

    submission = factory.SubFactory(SubmissionFactory)
    outcome = factory.LazyAttribute(lambda o: OutcomeFactory(conference=o.submission.conference))
    status = "pending"
    decided_at = factory.LazyFunction(timezone.now)

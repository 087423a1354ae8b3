"""factory_boy factories for the project: ``from tests import factories``."""

from datetime import timedelta

import factory
from django.utils import timezone

from mlsys.accounts.models import User
from mlsys.conferences import enums
from mlsys.conferences.models import CommitteeMembership, Conference, Deadline, Topic, Track

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


class ConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "submissions.Conflict"

    submission = factory.SubFactory(SubmissionFactory)
    user = factory.SubFactory(UserFactory)
    source = "author_declared"
    state = "suggested"

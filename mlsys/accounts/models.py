"""People: the login (email), their profile, affiliations, collaborators and API tokens.

All of a person's email addresses live in allauth's ``EmailAddress`` (verified or not); conflict
detection reads them from there.
"""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

from mlsys.accounts.validators import validate_single_line_text
from mlsys.core.models import BaseModel

orcid_validator = RegexValidator(
    r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]\Z", "An ORCID iD looks like 0000-0002-1825-0097."
)
year_validators = [MinValueValidator(1950), MaxValueValidator(2100)]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("Every account needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """An account. ``email`` is the login; ``name`` is how the person is shown everywhere."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    name = models.CharField(max_length=200, blank=True, validators=[validate_single_line_text])
    affiliation = models.CharField(
        "current affiliation", max_length=200, blank=True, validators=[validate_single_line_text]
    )
    orcid = models.CharField("ORCID iD", max_length=19, blank=True, validators=[orcid_validator])
    homepage = models.URLField(blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return (self.name or self.email).split(" ")[0]

    @property
    def display(self) -> str:
        return f"{self.name} ({self.affiliation})" if self.affiliation else str(self)


class AffiliationHistory(BaseModel):
    """A past or present institution, for conflict detection (e.g. same institution in 3 years)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="affiliations"
    )
    institution = models.CharField(max_length=200)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True, validators=year_validators)
    end_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=year_validators, help_text="Leave empty if current."
    )

    class Meta:
        ordering = ["-end_year", "-start_year", "institution"]
        verbose_name_plural = "affiliation history"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__isnull=True)
                | models.Q(start_year__isnull=True)
                | models.Q(end_year__gte=models.F("start_year")),
                name="affiliation_years_ordered",
            )
        ]

    def __str__(self) -> str:
        years = f"{self.start_year or '?'}–{self.end_year or 'now'}"
        return f"{self.institution} ({years})"


class Collaborator(BaseModel):
    """Someone the user declares a conflict-worthy relationship with (co-author, advisor, …)."""

    class Relation(models.TextChoices):
        COAUTHOR = "coauthor", "Co-author"
        ADVISOR = "advisor", "Advisor"
        ADVISEE = "advisee", "Advisee"
        COLLEAGUE = "colleague", "Colleague"
        PERSONAL = "personal", "Personal"
        OTHER = "other", "Other"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collaborators"
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    affiliation = models.CharField(max_length=200, blank=True)
    relation = models.CharField(max_length=20, choices=Relation.choices, default=Relation.COAUTHOR)
    until_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=year_validators,
        help_text="Last year of collaboration; empty if ongoing.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiToken(BaseModel):
    """A personal API token. Only its SHA-256 is stored; the key is shown once at creation."""

    PREFIX = "mlsys_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=100, help_text="What the token is for, e.g. 'export script'."
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(max_length=16, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="The token stops working at this time; empty: never."
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def hash_key(cls, key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def generate_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

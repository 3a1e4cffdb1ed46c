import re

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

JOIN_CODE_MIN_LENGTH = 8
PUBLIC_POOL_SLUG = "public"  # the tenant that pays for submissions of people outside a problem's tenant


def join_code_key(code: str) -> str:
    """What two join codes must share to be the same: case, spaces and dashes do not count."""
    return re.sub(r"[\s-]", "", code).upper()


def join_code_validate(code: str) -> None:
    if code and len(join_code_key(code)) < JOIN_CODE_MIN_LENGTH:
        raise ValidationError(
            f"A join code needs at least {JOIN_CODE_MIN_LENGTH} letters or digits (dashes and spaces "
            "do not count), so it cannot be guessed. Leave it empty when adding to get a random one."
        )


class User(AbstractUser):
    """A person. What they may do depends on their membership in each tenant."""

    email = models.EmailField(blank=True)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Tenant(models.Model):
    """A school, course or club: the unit that owns problems and users' access to them."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    join_code = models.CharField(
        max_length=32,
        blank=True,
        validators=[join_code_validate],
        help_text="Students who enter this code join as students; case, spaces and dashes do not matter. "
        "Left empty when adding, a random code is made; cleared later: invite only.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="tenants")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.join_code = self.join_code.strip().upper()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        key = join_code_key(self.join_code)
        others = Tenant.objects.exclude(pk=self.pk).exclude(join_code="").values_list("join_code", flat=True)
        if key and any(join_code_key(code) == key for code in others):
            raise ValidationError({"join_code": "Another course, school or club already uses this code."})


class Membership(models.Model):
    class Role(models.TextChoices):
        STUDENT = "student", "Student"
        INSTRUCTOR = "instructor", "Instructor"
        ADMIN = "admin", "Admin"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STUDENT)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "tenant"], name="membership_unique_user_tenant")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.tenant} ({self.role})"

    @property
    def is_staff_role(self) -> bool:
        return self.role in (self.Role.INSTRUCTOR, self.Role.ADMIN)


class AccountProfile(models.Model):
    """What a roster import records beyond the login: a team's members and the school or club it is from."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    affiliation = models.CharField(max_length=200, blank=True)
    team_members = models.CharField(max_length=1000, blank=True, help_text="A team's members, as listed.")

    def __str__(self) -> str:
        return f"profile of {self.user}"

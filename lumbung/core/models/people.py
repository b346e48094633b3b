"""People: users who log in by email, their roles per region, and API tokens."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .tenancy import RegionScoped


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True, is_platform_operator=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Citizens and civil servants alike; what they may do comes from memberships."""

    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    language = models.CharField(_("language"), max_length=5, default="id")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)  # Django admin access only.
    is_platform_operator = models.BooleanField(_("platform operator"), default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def display_name(self) -> str:
        return self.full_name or self.email.split("@")[0]


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    OFFICER = "officer", _("Officer")
    UNIT_HEAD = "unit_head", _("Unit head")
    REGION_ADMIN = "region_admin", _("Region administrator")
    AUDITOR = "auditor", _("Auditor (Inspektorat)")
    # Region-wide teams whose decisions a workflow step may need (hibah, permits).
    CONSIDERATION_TEAM = "consideration", _("Consideration team (Tim Pertimbangan)")
    BUDGET_TEAM = "budget_team", _("Regional budget team (TAPD)")
    REGION_HEAD = "region_head", _("Head of region (Kepala Daerah) or delegate")
    # Pays the performance allowance (TPP): sees every civil servant's pay figures.
    PAYROLL = "payroll", _("Payroll staff (TPP)")
    PLATFORM_OPERATOR = "platform_operator", _("Platform operator")


STAFF_ROLES = frozenset(
    {
        Role.OFFICER,
        Role.UNIT_HEAD,
        Role.REGION_ADMIN,
        Role.AUDITOR,
        Role.CONSIDERATION_TEAM,
        Role.BUDGET_TEAM,
        Role.REGION_HEAD,
        Role.PAYROLL,
    }
)


class Membership(RegionScoped):
    """A user's role in one region, optionally tied to one unit (OPD) of it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        "core.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    title = models.CharField(_("position"), max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "user", "role", "unit"], name="membership_unique"
            ),
            models.UniqueConstraint(
                fields=["region", "user", "role"],
                condition=models.Q(unit__isnull=True),
                name="membership_unique_no_unit",
            ),
        ]
        indexes = [models.Index(fields=["region", "role"], name="membership_region_role")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.region_id}:{self.role}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, default="api")
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

"""The base every domain record stands on: timestamps, creator, version, archive, history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class BaseQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def active(self) -> "BaseQuerySet":
        return self.filter(archived_at__isnull=True)

    def archived(self) -> "BaseQuerySet":
        return self.filter(archived_at__isnull=False)


class BaseModel(models.Model):
    """Created/updated, creator, optimistic-concurrency `version`, soft delete and audit trail.

    Every change goes through a service that bumps `version`; a write that carries an older
    version is refused with 409 (API.md "Writes and concurrency").
    """

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    history = HistoricalRecords(inherit=True)
    objects = BaseQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class MethodSettings(models.Model):
    """The one stored method configuration (METHOD.md defaults, admin-editable)."""

    data = models.JSONField(_("configuration"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("method configuration")
        verbose_name_plural = _("method configuration")

    def __str__(self) -> str:
        return str(_("Method configuration v%(version)s") % {"version": self.version})


class IdempotencyRecord(models.Model):
    """The first response to a POST carrying an Idempotency-Key, replayed on retries."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    status = models.PositiveSmallIntegerField()
    content_type = models.CharField(max_length=100)
    body = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="core_idempotency_user_key")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Login failed")
    LOGOUT = "logout", _("Logged out")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    USER_CREATED = "user_created", _("User created")
    USER_CHANGED = "user_changed", _("User changed")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    ROLES_CHANGED = "roles_changed", _("Roles changed")
    TEAM_CHANGED = "team_changed", _("Team changed")
    LINK_ADDED = "link_added", _("Link added")
    LINK_CHANGED = "link_changed", _("Link changed")
    LINK_REMOVED = "link_removed", _("Link removed")
    TWO_FACTOR_ENABLED = "two_factor_enabled", _("Two-factor sign-in turned on")
    TWO_FACTOR_DISABLED = "two_factor_disabled", _("Two-factor sign-in turned off")
    TWO_FACTOR_FAILED = "two_factor_failed", _("Two-factor code refused")


class AuditEvent(models.Model):
    """One security-relevant change or sign-in (issue 11 §8): who, when, what, old → new.

    Field-level history of each record stays in django-simple-history; this table holds what
    that cannot: logins, tokens, role sets, memberships and other links, one row per change.
    `actor_name` keeps the name typed at a failed login and survives the user's removal.
    """

    at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("who"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=30, choices=AuditAction.choices)
    model = models.CharField(_("record type"), max_length=100, blank=True)
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    object_repr = models.CharField(_("record"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["at", "id"], name="audit_at"),
            models.Index(fields=["actor", "at"], name="audit_actor_at"),
            models.Index(fields=["model", "at"], name="audit_model_at"),
            models.Index(fields=["action", "at"], name="audit_action_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"

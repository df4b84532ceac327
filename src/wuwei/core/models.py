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


class _HistoricalRecords(HistoricalRecords):
    """History whose table a model may name (`history_table`), e.g. to keep the table it had
    before it moved to another app."""

    def get_meta_options(self, model: type[models.Model]) -> dict[str, object]:
        options: dict[str, object] = super().get_meta_options(model)
        table = getattr(model, "history_table", None)
        if table:
            options["db_table"] = table
        return options


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

    history = _HistoricalRecords(inherit=True)
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


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class JobRun(models.Model):
    """One run of a background job (core.jobs): what it is, who started it, how far it got.

    The queue itself (django-tasks' database backend, or Redis) only carries the run's id;
    progress, cancellation, resume data and the outcome live here so that a page, the CLI and
    another worker can read them whatever the backend.
    """

    job = models.CharField(_("job"), max_length=200)  # dotted path of the @job function
    kwargs = models.JSONField(_("arguments"), default=dict, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(max_length=16, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    done = models.PositiveBigIntegerField(_("done"), default=0)
    total = models.PositiveBigIntegerField(_("total"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("max attempts"), default=1)
    checkpoint = models.JSONField(_("checkpoint"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    result_file = models.CharField(_("result file"), max_length=500, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    worker_id = models.CharField(max_length=64, blank=True)
    worker_host = models.CharField(max_length=255, blank=True)
    worker_pid = models.PositiveIntegerField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [
            models.Index(fields=["status", "heartbeat_at"], name="core_jobrun_status_beat"),
            models.Index(fields=["user", "-created_at"], name="core_jobrun_user_created"),
            models.Index(fields=["job", "-created_at"], name="core_jobrun_job_created"),
        ]

    def __str__(self) -> str:
        return f"{self.job} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED}

    @property
    def percent(self) -> int | None:
        """Whole percent done, None while the total is unknown."""
        if not self.total:
            return 100 if self.status == JobStatus.SUCCEEDED else None
        return min(100, self.done * 100 // self.total)


class ScheduledRun(models.Model):
    """A periodic job's claim on one period slot: the unique pair makes it run once per slot,
    whichever worker process (on whichever machine) gets there first."""

    name = models.CharField(max_length=100)
    slot = models.DateTimeField()
    job_run = models.ForeignKey(JobRun, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], name="core_scheduledrun_once_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.slot:%Y-%m-%d %H:%M}"

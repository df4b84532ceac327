"""Import runs, saved column mappings, external ids and export runs (issue 15)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    ACCOUNTS = "accounts", _("Accounts")
    CONTACTS = "contacts", _("Contacts")
    OPPORTUNITIES = "opportunities", _("Opportunities")
    COMPETITORS = "competitors", _("Competitors")
    ACTIVITIES = "activities", _("Activities")


class ImportMode(models.TextChoices):
    ALL = "all", _("All or nothing")
    ROWS = "rows", _("Row by row, with a rejects file")


class RunStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    QUEUED = "queued", _("Waiting to start")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked")
    APPLYING = "applying", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


RUNNING_STATUSES = (RunStatus.QUEUED, RunStatus.CHECKING, RunStatus.APPLYING)


class ImportMapping(models.Model):
    """A column mapping a user adjusted and saved for reuse: {file header: field}."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    source = models.CharField(_("source system"), max_length=20, default="generic")
    columns = models.JSONField(_("columns"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "kind", "name"], name="dataio_mapping_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ImportRun(models.Model):
    """One uploaded file on its way in: checked (dry run), then applied. The file is kept in
    the database so that a worker on another machine can read it."""

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    filename = models.CharField(_("file"), max_length=200)
    content = models.BinaryField(_("content"))
    source = models.CharField(_("source system"), max_length=20, default="generic")
    preset = models.CharField(_("preset"), max_length=40, blank=True)
    columns = models.JSONField(_("columns"), default=dict, blank=True)
    headers = models.JSONField(_("headers"), default=list, blank=True)
    sample = models.JSONField(_("first row"), default=list, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    mode = models.CharField(
        _("mode"), max_length=10, choices=ImportMode.choices, default=ImportMode.ALL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RunStatus.choices, default=RunStatus.UPLOADED
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    rejects = models.BinaryField(_("rejects"), null=True, blank=True)
    is_applied = models.BooleanField(_("applied"), default=False)
    # The job that runs (or ran) the current step; its progress bar is shown on the page.
    job = models.ForeignKey(
        "core.JobRun",
        verbose_name=_("job"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["created_by", "-created_at"], name="dataio_run_user")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.filename}"

    @property
    def history_reason(self) -> str:
        """What every record this import writes carries in its history."""
        return f"import #{self.pk} {self.filename}"[:200]

    @property
    def percent(self) -> int:
        if self.status in (RunStatus.CHECKED, RunStatus.DONE):
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES


class ExternalKey(models.Model):
    """A record's id in the system it was imported from: (source, kind, external id) points at
    one record, so that importing the same file again updates instead of duplicating."""

    source = models.CharField(_("source system"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    external_id = models.CharField(_("external id"), max_length=100)
    object_id = models.BigIntegerField(_("record"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("external id")
        verbose_name_plural = _("external ids")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "external_id"], name="dataio_external_key_unique"
            )
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="dataio_external_object")]

    def __str__(self) -> str:
        return f"{self.source}:{self.kind}:{self.external_id}"


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV files in a zip")
    XLSX = "xlsx", _("Excel workbook in a zip")

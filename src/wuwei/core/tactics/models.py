"""The shape of a library tactic; each app declares its concrete model with its `strategy`."""

from typing import ClassVar

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wuwei.core.models import BaseModel

#: The fields a library editor sets, through the API, the page and the seed.
TACTIC_FIELDS = ("strategy", "title_zh", "title_en", "description_zh", "description_en", "position")


class TacticBase(BaseModel):
    """A concrete tactic of one strategy, in both languages; seeded, editable.

    Subclasses declare `strategy` again with their strategies as choices.
    `english_fallback`: a Chinese reader with no Chinese text sees the English one."""

    strategy = models.CharField(_("strategy"), max_length=20)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    english_fallback: ClassVar[bool] = False

    class Meta:
        abstract = True
        ordering = ["strategy", "position", "id"]

    def __str__(self) -> str:
        return self.title

    def _localized(self, field: str) -> str:
        chinese = (translation.get_language() or "").lower().startswith("zh")
        value = str(getattr(self, f"{field}_zh" if chinese else f"{field}_en") or "")
        if not value and chinese and self.english_fallback:
            value = str(getattr(self, f"{field}_en") or "")
        return value

    @property
    def title(self) -> str:
        return self._localized("title")

    @property
    def description(self) -> str:
        return self._localized("description")

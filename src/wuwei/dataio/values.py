"""Turning the text of a cell into a value, or a sentence saying what is wrong with it.

Amounts accept thousands separators, currency signs and 万 (ten thousand); dates accept ISO,
slashes (year first, or US month/day/year as Salesforce writes them), dots and 2027年3月1日;
choices accept the slug, the label in either language and the usual words of other systems.
"""

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

_AMOUNT_NOISE = re.compile(r"[\s,，¥￥$€£]|CNY|RMB|USD|元")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%m/%d/%Y", "%d.%m.%Y", "%Y.%m.%d", "%Y%m%d")
_CHINESE_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$")


class BadValue(ValueError):
    """The cell's text cannot become the field's value; the message is for people."""


def parse_decimal(text: str) -> Decimal:
    cleaned = _AMOUNT_NOISE.sub("", text)
    factor = Decimal(1)
    if cleaned.endswith("万"):
        cleaned, factor = cleaned[:-1], Decimal(10000)
    elif cleaned.endswith("亿"):
        cleaned, factor = cleaned[:-1], Decimal(100000000)
    try:
        value = Decimal(cleaned) * factor
    except InvalidOperation:
        raise BadValue(_("“%(text)s” is not a number.") % {"text": text[:50]}) from None
    if not value.is_finite():
        raise BadValue(_("“%(text)s” is not a number.") % {"text": text[:50]})
    if value < 0:
        raise BadValue(_("The amount cannot be negative."))
    if value >= Decimal(10) ** 14:
        raise BadValue(_("“%(text)s” is too large.") % {"text": text[:50]})
    return value.quantize(Decimal("0.01"))


def parse_int(text: str, *, low: int = 0, high: int = 2_000_000_000) -> int:
    value = parse_decimal(text)
    if value != value.to_integral_value():
        raise BadValue(_("“%(text)s” is not a whole number.") % {"text": text[:50]})
    if not low <= value <= high:
        raise BadValue(
            _("The value must be between %(low)s and %(high)s.") % {"low": low, "high": high}
        )
    return int(value)


def parse_date(text: str) -> date:
    text = text.strip()
    match = _CHINESE_DATE.match(text)
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        if "T" in text or (len(text) > 10 and text[10] == " "):
            return datetime.fromisoformat(text).date()
        for pattern in _DATE_FORMATS:
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
    except ValueError:
        pass
    raise BadValue(_("“%(text)s” is not a date. Write it as 2027-03-31.") % {"text": text[:50]})


def choice_lookup(
    choices: type[models.TextChoices], synonyms: Mapping[str, str] | None = None
) -> dict[str, str]:
    """{casefolded slug, English label, Chinese label or synonym: slug}."""
    lookup: dict[str, str] = {}
    for value in choices.values:
        lookup[value.casefold()] = value
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for value, label in choices.choices:
                lookup.setdefault(str(label).casefold(), value)
    for word, value in (synonyms or {}).items():
        lookup.setdefault(word.casefold(), value)
    return lookup


def parse_choice(text: str, lookup: dict[str, str]) -> str:
    value = lookup.get(text.strip().casefold())
    if value is None:
        raise BadValue(_("“%(text)s” is not one of the known values.") % {"text": text[:50]})
    return value


def split_list(text: str) -> list[str]:
    """Several names or ids in one cell: separated by ; , 、 or new lines."""
    return [part.strip() for part in re.split(r"[;,，；、\n]", text) if part.strip()]

# Sales people read amounts grouped by thousands with commas (39,293,078), as in their
# finance systems; Django's zh_Hans default has no separator at all.
from django.conf.locale.zh_Hans import formats as _base
from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

# `<input type="date">` only takes ISO values (2026-12-04): the first input format is the
# one forms render with, so ISO comes first; the local forms are still accepted on input.
_ISO_DATE = "%Y-%m-%d"
_ISO_DATETIMES = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
DATE_INPUT_FORMATS: list[str] = [
    _ISO_DATE,
    *(f for f in _base.DATE_INPUT_FORMATS if f != _ISO_DATE),
]
DATETIME_INPUT_FORMATS: list[str] = [
    *_ISO_DATETIMES,
    *(f for f in _base.DATETIME_INPUT_FORMATS if f not in _ISO_DATETIMES),
]

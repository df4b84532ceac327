from django.conf.locale.en import formats as _base
from django.conf.locale.en.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

# `<input type="date">` only takes ISO values (2026-12-04): the first input format is the
# one forms render with, so ISO comes first in every language.
_ISO_DATE = "%Y-%m-%d"
DATE_INPUT_FORMATS: list[str] = [
    _ISO_DATE,
    *(f for f in _base.DATE_INPUT_FORMATS if f != _ISO_DATE),
]

# Sales people read amounts grouped by thousands with commas (39,293,078), as in their
# finance systems; Django's zh_Hans default has no separator at all.
from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

# `<input type="date">` only takes ISO values (2026-12-04): the first input format is the
# one forms render with, so ISO comes first; the local forms are still accepted on input.
DATE_INPUT_FORMATS = ["%Y-%m-%d", *(f for f in DATE_INPUT_FORMATS if f != "%Y-%m-%d")]  # noqa: F405
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    *(f for f in DATETIME_INPUT_FORMATS if f not in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")),  # noqa: F405
]

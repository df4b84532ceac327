from django.conf.locale.en.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

# `<input type="date">` only takes ISO values (2026-12-04): the first input format is the
# one forms render with, so ISO comes first in every language.
DATE_INPUT_FORMATS = ["%Y-%m-%d", *(f for f in DATE_INPUT_FORMATS if f != "%Y-%m-%d")]  # noqa: F405

# Sales people read amounts grouped by thousands with commas (39,293,078), as in their
# finance systems; Django's zh_Hans default has no separator at all.
from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

"""Stored web addresses (an account's or a competitor's website): only http and https.

A website is rendered as a link, so a value such as `javascript:…` or `data:…` would run script
or load content when clicked. It is refused at every edge (model validator → forms, services,
import; `WebAddress` → API schemas) and, for rows stored before the rule, `web_href` never
makes a link of it. A bare host (`www.example.com`) is accepted and linked as https.
"""

import re
from typing import Annotated

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

WEB_SCHEMES = ("http", "https")
WEB_ADDRESS_MAX_LENGTH = 200

# "name:" at the start is a scheme, unless it is "host:port" (digits after the colon).
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):(?!\d+(?:[/?#]|$))")
_url_validator = URLValidator(schemes=list(WEB_SCHEMES))
_MESSAGE = gettext_lazy("Enter a web address starting with http:// or https://.")


def web_href(value: str | None) -> str:
    """The http(s) URL to link `value` to, or "" when it must not become a link."""
    text = (value or "").strip()
    if not text or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in text):
        return ""
    match = _SCHEME.match(text)
    if match:
        if match.group(1).lower() not in WEB_SCHEMES:
            return ""
        url = text
    else:
        if text.startswith("//"):
            return ""
        url = f"https://{text}"
    try:
        _url_validator(url)
    except ValidationError:
        return ""
    return url


def validate_web_address(value: str) -> None:
    """Model and form validator: blank, or an address that `web_href` links."""
    if value and not web_href(value):
        raise ValidationError(_MESSAGE, code="web_address")


def _check_web_address(value: str) -> str:
    if value and not web_href(value):
        raise PydanticCustomError(
            "web_address", _("Enter a web address starting with http:// or https://.")
        )
    return value


# For API schemas: `website: WebAddress = ""` (or `WebAddress | None = None` in a PATCH).
WebAddress = Annotated[
    str, Field(max_length=WEB_ADDRESS_MAX_LENGTH), AfterValidator(_check_web_address)
]

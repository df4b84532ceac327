"""Stored web addresses: only http(s) becomes a link (core.links)."""

import pytest
from django.core.exceptions import ValidationError

from wuwei.core.links import validate_web_address, web_href


@pytest.mark.parametrize(
    ("value", "href"),
    [
        ("https://example.com", "https://example.com"),
        ("http://example.com/path?q=1#top", "http://example.com/path?q=1#top"),
        ("HTTPS://EXAMPLE.COM", "HTTPS://EXAMPLE.COM"),
        ("www.demo01.example", "https://www.demo01.example"),
        ("example.com/about", "https://example.com/about"),
        ("localhost:8000", "https://localhost:8000"),
        ("www.example.com:8080/x", "https://www.example.com:8080/x"),
        ("  https://example.com  ", "https://example.com"),
        ("", ""),
        (None, ""),
        ("javascript:alert(1)", ""),
        ("JavaScript://%0aalert(1)", ""),
        ("javascript://example.com/%0aalert(1)", ""),
        (" javascript:alert(1)", ""),
        ("java\tscript:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("vbscript:msgbox(1)", ""),
        ("mailto:someone@example.com", ""),
        ("ftp://example.com", ""),
        ("//evil.example", ""),
        ("javascript:1", ""),
        ("http:evil", ""),
        ("https://exa mple.com", ""),
        ("<img src=x onerror=alert(1)>", ""),
    ],
)
def test_web_href(value, href):
    assert web_href(value) == href


@pytest.mark.parametrize("value", ["", "https://example.com", "www.example.com"])
def test_validator_accepts_blank_and_http(value):
    validate_web_address(value)


@pytest.mark.parametrize("value", ["javascript:alert(1)", "data:text/html,x", "ftp://example.com"])
def test_validator_refuses_other_schemes(value):
    with pytest.raises(ValidationError):
        validate_web_address(value)

"""`{% term "ninebox" %}`: a small "?" next to a method term, linking to its glossary entry
and explaining it on hover (Bootstrap tooltip, started by wuwei/app.js: no inline script)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wuwei.web.glossary import TERMS_BY_SLUG

register = template.Library()


@register.simple_tag
def term(slug: str) -> SafeString:
    entry = TERMS_BY_SLUG[slug]  # an unknown slug is a programming error: fail loudly
    return format_html(
        '<a href="{}#{}" class="ww-term" data-bs-toggle="tooltip" data-bs-title="{}" '
        'aria-label="{}" data-term="{}"><i class="bi bi-question-circle" aria-hidden="true">'
        "</i></a>",
        reverse("web:glossary"),
        entry.slug,
        entry.summary,
        _("What is this: %(term)s") % {"term": entry.name},
        entry.slug,
    )


@register.simple_tag
def term_summary(slug: str) -> str:
    """The one-line explanation of a term, for a `title` or tooltip on a value it names."""
    return str(TERMS_BY_SLUG[slug].summary)


@register.simple_tag
def term_url(slug: str) -> str:
    """The glossary anchor of a term, for a link on the value it names."""
    return f"{reverse('web:glossary')}#{TERMS_BY_SLUG[slug].slug}"


@register.simple_tag
def chinese_term(text: str, css: str = "text-secondary") -> SafeString:
    """The Chinese name of a method term beside an English heading ("Relationship map 关系图谱");
    nothing on Chinese pages, where the heading already says it ("关系图谱 关系图谱")."""
    if (get_language() or "").startswith("zh"):
        return SafeString("")
    return format_html('<span class="{}" lang="zh-Hans">{}</span>', css, text)

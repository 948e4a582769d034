"""Text from outside (replies often hold raw HTML) rendered safely.

Markdown is rendered to HTML, then nh3 (the Rust `ammonia` sanitiser) keeps only harmless
tags and attributes: no script, no event handler, no javascript: link ever reaches a page.
"""

import html
import threading

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}


_converters = threading.local()


def _to_html(text: str) -> str:
    # Building a Markdown converter costs more than converting a reply: keep one per thread.
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown.Markdown(
            extensions=["extra", "sane_lists"], output_format="html"
        )
    return converter.reset().convert(text or "")


def render_markdown(text: str) -> SafeString:
    """Markdown to sanitised HTML, safe to insert in a template."""
    clean = nh3.clean(
        _to_html(text),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def plain_text(text: str) -> str:
    """The text with every tag removed (for DOCX, PDF and search snippets)."""
    return _without_tags(_to_html(text))


def excerpt_of(html_text: str, length: int) -> str:
    """The first `length` characters of sanitised HTML as one line of plain text."""
    return " ".join(_without_tags(html_text).split())[:length]


def _without_tags(html_text: str) -> str:
    return html.unescape(nh3.clean(html_text, tags=set()))

from django import template

from secretariat.text import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """{{ reply.text|markdown }}: Markdown rendered and sanitised."""
    return render_markdown(text)

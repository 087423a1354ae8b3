from django import template

from mlsys.core.markdown import render

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """``{{ review.text|markdown }}``: Markdown with math, sanitised."""
    return render(text or "")

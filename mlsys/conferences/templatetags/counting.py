"""``{{ count|counted:"review forms" }}`` → "1 review form", "3 review forms", "no review forms".

For the setup-copy labels, which are plural nouns ("tracks", "phase switches", "extra
questions"): with a count of one, the last word loses its plural ending ("-es" after ch, sh,
s, x; else "-s")."""

from django import template

register = template.Library()


def singular(label: str) -> str:
    noun, paren, note = label.partition(" (")
    if paren:
        return f"{singular(noun)} ({note}"
    head, _, last = noun.rpartition(" ")
    if last.endswith(("ches", "shes", "sses", "xes")):
        last = last[:-2]
    elif last.endswith("s") and not last.endswith("ss"):
        last = last[:-1]
    return f"{head} {last}" if head else last


@register.filter
def counted(count, label: str) -> str:
    if not count:
        return f"no {label}"
    return f"{count} {singular(label) if count == 1 else label}"

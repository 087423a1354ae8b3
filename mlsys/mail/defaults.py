"""Built-in email templates. Apps add theirs with :func:`register`; chairs override per
conference. Bodies use ``{placeholder}`` names documented next to each template.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DefaultTemplate:
    key: str
    description: str
    subject: str
    body: str
    placeholders: tuple[str, ...] = field(default=())


_registry: dict[str, DefaultTemplate] = {}


def register(key: str, *, description: str, subject: str, body: str, placeholders=()) -> None:
    _registry[key] = DefaultTemplate(
        key, description, subject, body.strip() + "\n", tuple(placeholders)
    )


def get(key: str) -> DefaultTemplate:
    return _registry[key]


def all_templates() -> list[DefaultTemplate]:
    return sorted(_registry.values(), key=lambda t: t.key)


register(
    "generic.message",
    description="A free-form message from the chairs.",
    subject="[{conference}] {subject}",
    body="""
{message}

--
The {conference} chairs
""",
    placeholders=("conference", "subject", "message"),
)

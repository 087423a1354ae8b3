"""The sections of the home page (mlsys.conferences.views.home), contributed by the apps that own
their data.

The page knows no domain: each app registers, from its ``AppConfig.ready``, a provider that takes
the request and returns a :class:`Section` (or None when it has nothing for this visitor).
Providers answer in a fixed number of queries and bound their lists (:data:`LIMIT` rows, the
rest counted), so the home page costs the same whatever the visitor's workload.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

#: Rows per home-page list; longer lists say how many more there are and link the full page.
LIMIT = 10


@dataclass
class Section:
    #: Template included in the home page; it reads ``section.context``.
    template: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class _Provider:
    name: str
    order: int
    build: Callable


_providers: dict[str, _Provider] = {}


def register(name: str, build: Callable, *, order: int) -> None:
    """Add (or replace) the provider ``name``; sections show by ascending ``order``."""
    _providers[name] = _Provider(name, order, build)


def sections_for(request) -> list[Section]:
    """Every registered provider's section for this request, in order."""
    found = []
    for provider in sorted(_providers.values(), key=lambda p: (p.order, p.name)):
        section = provider.build(request)
        if section is not None:
            found.append(section)
    return found

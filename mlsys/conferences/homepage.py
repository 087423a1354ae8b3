"""The sections of the home page (mlsys.conferences.views.home), contributed by the apps that own
their data.

The page knows no domain: each app registers, from its ``AppConfig.ready``, a provider that takes
the request and returns a :class:`Section`, a list of them, or None when it has nothing for this
visitor. A section that belongs to one conference names it (``conference_id``): the home page
shows it inside that conference's block, under the visitor's roles there
(mlsys.conferences.home). Providers answer in a fixed number of queries whatever the number of
conferences and rows, and bound their per-conference lists (:data:`LIMIT` rows, the rest
counted), so the home page costs the same whatever the visitor's workload.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

#: Rows per home-page list; longer lists say how many more there are and link the full page.
LIMIT = 10


@dataclass
class Section:
    #: Template rendered on the home page with ``context`` on top of the page's context.
    template: str
    context: dict = field(default_factory=dict)
    #: The conference the section is about (shown in its block), or None for a page-wide one.
    conference_id: int | None = None
    #: What the section says the visitor is at that conference besides their committee roles
    #: (e.g. "Author"), shown with the roles in the conference's block.
    roles: tuple[str, ...] = ()


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
    """Every registered provider's sections for this request, in order."""
    found: list[Section] = []
    for provider in sorted(_providers.values(), key=lambda p: (p.order, p.name)):
        section = provider.build(request)
        if section is None:
            continue
        found.extend(section if isinstance(section, list) else [section])
    return found

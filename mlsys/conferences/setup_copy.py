"""Copying a conference's setup into a new one ("Start from a previous conference"), contributed
by the apps that own the setup.

The conferences app knows no domain: each app registers, from its ``AppConfig.ready``, a hook
with two functions. ``preview(source)`` says what would be copied (``{label: count}``, shown
before saving) and ``copy(context)`` copies it into ``context.target`` inside the creation's
transaction and says what it copied. Hooks run by ascending ``order``; a hook that needs the new
tracks (extra questions, per-track review forms) runs after the tracks hook (order 10) and
finds them in ``context.tracks``. Nothing of people's data is ever copied (papers, committee,
bids, reviews): only what a chair set up.

Each hook answers in a fixed number of queries per copied kind (bulk writes), and writes no audit
event of its own: the creation service records one ``conference.setup_copied`` event with every
count.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: Track hooks run at this order; hooks that read ``context.tracks`` register after it.
TRACKS_ORDER = 10


@dataclass
class CopyContext:
    source: Any
    target: Any
    actor: Any
    #: Deadlines move this many days (wall-clock time in the conference's zone is kept).
    shift_days: int = 0
    #: Carry the chairs' forced open/closed phase switches over (off: every phase follows the
    #: shifted deadlines).
    keep_phase_switches: bool = False
    #: Source track pk → the new conference's copy, filled by the tracks hook.
    tracks: dict[int, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Hook:
    name: str
    order: int
    preview: Callable[[Any], dict[str, int]]
    copy: Callable[[CopyContext], dict[str, int]]


_hooks: dict[str, _Hook] = {}


def register(
    name: str,
    *,
    preview: Callable[[Any], dict[str, int]],
    copy: Callable[[CopyContext], dict[str, int]],
    order: int,
) -> None:
    """Add (or replace) the hook ``name``; hooks run by ascending ``order``."""
    _hooks[name] = _Hook(name, order, preview, copy)


def hooks() -> list[_Hook]:
    return sorted(_hooks.values(), key=lambda h: (h.order, h.name))


def preview_setup(source) -> dict[str, int]:
    """What copying ``source`` would bring, ``{label: count}`` in hook order."""
    found: dict[str, int] = {}
    for hook in hooks():
        found.update(hook.preview(source))
    return found


def copy_setup(context: CopyContext) -> dict[str, int]:
    """Run every hook into ``context.target``; call inside the creation's transaction."""
    copied: dict[str, int] = {}
    for hook in hooks():
        copied.update(hook.copy(context))
    return copied

"""Badges shown with a paper in the proceedings (artifact evaluation's, for instance).

decisions sits below artifacts in the layering, so it cannot ask for badges; an app above
registers a provider instead::

    badges.register(provider)  # provider(conference) -> {submission id: ["Artifacts Available"]}

The exports call every registered provider once per export. With none registered, every paper
has an empty badge list and the exports say so (``badges_registered: false`` in the JSON).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

Provider = Callable[[object], Mapping[int, Sequence[str]]]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Add ``provider`` (registering it twice keeps one)."""
    if provider not in _providers:
        _providers.append(provider)


def unregister(provider: Provider) -> None:
    if provider in _providers:
        _providers.remove(provider)


def registered() -> bool:
    return bool(_providers)


def badges_for(conference) -> dict[int, list[str]]:
    """Every provider's badges per submission id, in provider order, without repeats."""
    merged: dict[int, list[str]] = {}
    for provider in _providers:
        for submission_id, labels in provider(conference).items():
            have = merged.setdefault(submission_id, [])
            have.extend(label for label in labels if label not in have)
    return merged

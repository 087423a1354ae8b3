"""What a request says about itself, believed only when our own proxy relayed it.

Behind a reverse proxy every request reaches gunicorn from the proxy's address, so two facts
must come from the proxy's headers: who the client is (``X-Forwarded-For``, for the login rate
limits and /healthz's details) and when the request arrived (``X-Request-Start``, for the
deadlines: :mod:`mlsys.core.arrival`). Any client can send those headers too, so they are read
only from a peer listed in ``TRUSTED_PROXIES`` (addresses or networks of the proxies we run);
from anyone else they are ignored. docs/deploy.md, "Proxy", says how nginx must set them.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "203.0.113.9:51234"
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    """Whether ``address`` is one of ``TRUSTED_PROXIES`` (each an address or a CIDR network)."""
    parsed = _address(address or "")
    if parsed is None:
        return False
    return any(parsed in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def from_trusted_proxy(request) -> bool:
    """The request's peer is one of our proxies, so its forwarding headers are believed."""
    return is_trusted_proxy(request.META.get("REMOTE_ADDR", ""))


def forwarded_client(request) -> str | None:
    """The client address our proxies saw, or None if the request did not come through one of
    them or they did not say.

    ``X-Forwarded-For`` is read from the right: every proxy appends the address it received the
    request from, so the rightmost entry that is not one of our own proxies is the client.
    Entries left of it were written by the client and are not believed.
    """
    if not from_trusted_proxy(request):
        return None
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in (_address(part) for part in header.split(",")) if hop is not None]
    for hop in reversed(hops):
        if not is_trusted_proxy(str(hop)):
            return str(hop)
    return str(hops[0]) if hops else None


def client_ip(request) -> str:
    """The client's address: from our proxy's ``X-Forwarded-For``, else the TCP peer."""
    return forwarded_client(request) or request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104

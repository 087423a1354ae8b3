"""Production settings, plus the one setting of the proxy the benchmark plays.

In production a reverse proxy sits in front of gunicorn and appends the client's address to
``X-Forwarded-For``; allauth's login rate limit (30 a minute per address) then counts per
author. The benchmark's authors all connect from 127.0.0.1, so it sends one made-up
``X-Forwarded-For`` address per author and trusts exactly one proxy hop, as docs/deploy.md
tells operators behind one proxy to do. Nothing else differs from ``mlsys.settings``.
"""

from mlsys.settings import *  # noqa: F403

ALLAUTH_TRUSTED_PROXY_COUNT = 1

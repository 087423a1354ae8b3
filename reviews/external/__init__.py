"""External reviewer requests: a reviewer asks that an outside expert review a paper and a
chair approves or declines. Every write goes through :mod:`reviews.external.services`."""

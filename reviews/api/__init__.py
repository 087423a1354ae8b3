"""What the reviewing API shares: the router (urls.py), the permission helpers that name the
rules (permissions.py) and the viewset base (base.py). Serializers and viewsets live in each
workflow package's ``api.py``.

Same rules as the pages and the same services for every write; errors map to responses in
mlsys.core.api.exceptions (409 with the current state for a stale ``version``). Papers a user
is conflicted with never appear, chairs included.
"""

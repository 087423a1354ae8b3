"""Per-paper discussion: comments with visibility, @mentions, following, review ratings.

``rules`` (predicates), ``services`` (every write), ``queries`` (what the paper page reads),
``mentions`` (the @handle syntax), ``emails`` (templates, registered from ReviewsConfig.ready).
"""

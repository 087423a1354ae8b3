"""Writing reviews: drafts, submission, revisions, declining an assignment and external
reviewer requests. Every write goes through :mod:`reviews.reviewing.services` or
:mod:`reviews.reviewing.external`."""

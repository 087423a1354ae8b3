"""Writing reviews: drafts, submission, revisions, declining an assignment and the reviewer's
"My papers" list. Every write goes through :mod:`reviews.reviewing.services`."""

"""How a person on a paper's reviewing page is named to a given viewer.

Chairs always see names. The paper's reviewers see names only if
``Conference.reviewer_names_visible``; PC members who do not review the paper never do (the
setting is about reviewers of a paper seeing each other). Otherwise reviewers are
"Reviewer A/B/…" (stable letters, reviews.discussion.queries.reviewer_letters), chairs
"Program chair", anyone else "PC member". The author-facing pages hide names in every case
(``hide_names=True``).
"""

from dataclasses import dataclass

from reviews.discussion import mentions, queries
from reviews.rules import is_paper_chair, is_reviewer_of


@dataclass(frozen=True)
class Naming:
    viewer_id: int | None
    show_names: bool
    letters: dict[int, str]
    chairs: frozenset[int]

    @classmethod
    def for_viewer(
        cls,
        viewer,
        submission,
        *,
        hide_names: bool = False,
        letters: dict[int, str] | None = None,
        chairs: frozenset[int] | None = None,
    ) -> "Naming":
        """Two queries (letters, chair ids) unless they are passed in."""
        show = not hide_names and (
            is_paper_chair(viewer, submission)
            or (submission.conference.reviewer_names_visible and is_reviewer_of(viewer, submission))
        )
        return cls(
            viewer_id=getattr(viewer, "pk", None),
            show_names=show,
            letters=queries.reviewer_letters(submission) if letters is None else letters,
            chairs=queries.chair_ids(submission.conference) if chairs is None else chairs,
        )

    def alias(self, user_id: int) -> str:
        letter = self.letters.get(user_id)
        if letter:
            return f"Reviewer {letter}"
        if user_id in self.chairs:
            return "Program chair"
        return "PC member"

    def comment_body(self, comment, members) -> str:
        """The comment's text for this viewer: @mentions of committee members become their
        alias ("@Reviewer B") unless the viewer sees names (``members``: a
        reviews.discussion.mentions.Directory)."""
        if self.show_names:
            return comment.body
        return mentions.with_aliases(comment.body, members, self.alias)

    def name(self, user) -> str:
        """The label for ``user``: "You", their name (with letter) or their alias."""
        if user.pk == self.viewer_id:
            return "You"
        if self.show_names:
            letter = self.letters.get(user.pk)
            return f"{user.name} (Reviewer {letter})" if letter else user.name
        return self.alias(user.pk)

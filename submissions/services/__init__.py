"""Every write to a submission goes through these functions (the author pages, the chairs'
pages and the API all call them). Each raises ``django.core.exceptions.ValidationError``
(field-keyed where a field is at fault), ``PermissionDenied``, or
``mlsys.core.errors.Conflict`` for a stale edit; the API's exception handler maps them.

- :func:`create_submission`, :func:`update_submission`: metadata, authors, declared conflicts,
  extra answers (with optimistic locking through ``version``); :func:`check_input` lists the
  problems they would raise, without writing, so a form can show them all at once.
- :func:`upload_paper`, :func:`upload_supplement`: new file versions, checked by the pipeline.
- :func:`change_status`: the state machine, for authors and chairs; receipts to all authors.
- :func:`release_to_reviewers`: a chair serves a version that failed anonymity to reviewers.
- :func:`link_authors_to_user`: attach author rows to an account once its email is verified.
"""

from submissions.services.editing import (
    AuthorInput,
    ConflictInput,
    check_input,
    create_submission,
    pc_members,
    snapshot,
    update_submission,
    word_count,
)
from submissions.services.people import link_authors_to_user, users_by_email
from submissions.services.release import release_to_reviewers
from submissions.services.status import (
    CHAIR_TRANSITIONS,
    allowed_transitions,
    change_status,
    check_summary,
    missing_requirements,
    send_receipt,
)
from submissions.services.uploads import MAX_UNCHECKED_VERSIONS, upload_paper, upload_supplement

__all__ = [
    "CHAIR_TRANSITIONS",
    "MAX_UNCHECKED_VERSIONS",
    "AuthorInput",
    "ConflictInput",
    "allowed_transitions",
    "change_status",
    "check_input",
    "check_summary",
    "create_submission",
    "link_authors_to_user",
    "missing_requirements",
    "pc_members",
    "release_to_reviewers",
    "send_receipt",
    "snapshot",
    "update_submission",
    "upload_paper",
    "upload_supplement",
    "users_by_email",
    "word_count",
]

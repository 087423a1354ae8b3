"""The conference's texts as a dataset for an external expertise model (OpenReview's format).

Chairs who compute scores elsewhere (OpenReview's expertise models: SPECTER2, SciNCL, ELMo,
BM25; a TPMS-style service) need the same texts this site scores: the active submissions and
each reviewer's papers used at this conference. The zip holds

- ``submissions.jsonl``: one ``{"id": "<paper number>", "content": {"title", "abstract"}}``
  per line;
- ``archives/<reviewer email>.jsonl``: that reviewer's papers, one per line, same schema;
- ``README.txt``: how to run a model on it and upload the result.

Those models write ``paper id, reviewer id, score`` rows keyed by these ids, so their output
is directly a file the upload on the affinity page accepts (paper number, email, score).
Emails are percent-encoded where they hold a character a file name can't (``/``); the upload
decodes them.
"""

from __future__ import annotations

import io
import json
import zipfile
from urllib.parse import quote

from mlsys.conferences.models import Conference
from reviews.affinity import queries
from reviews.models import Expertise
from submissions.models import Submission

README = """\
Texts of {name} for an external expertise model, in the dataset format of OpenReview's
openreview-expertise (https://github.com/openreview/openreview-expertise):

  submissions.jsonl          {papers} submissions; "id" is the paper number on the site
  archives/<email>.jsonl     the papers of {reviewers} reviewers, one file per reviewer

Run a model with "dataset": {{"directory": "<this folder>"}}. Its scores CSV has rows
"paper number,reviewer email,score", which the "Upload scores" form of the affinity page
imports as they are (tick "Rescale" if the scores are not already in [0, 1]).
Reviewers with no papers used at this conference have no archive file and get no scores.
"""


def dataset_zip(conference: Conference) -> bytes:
    """The zip described in the module docstring (three queries, whatever the sizes)."""
    papers = (
        Submission.objects.active()
        .filter(conference=conference)
        .order_by("number")
        .values_list("number", "title", "abstract")
    )
    emails = dict(queries.reviewers(conference).values_list("pk", "email"))
    archives: dict[int, list[str]] = {}
    for pk, user_id, title, abstract in (
        Expertise.objects.used_at(conference)
        .filter(user_id__in=emails)
        .order_by("user_id", "pk")
        .values_list("pk", "user_id", "title", "abstract")
    ):
        archives.setdefault(user_id, []).append(_line(f"e{pk}", title, abstract))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        lines = [_line(str(number), title, abstract) for number, title, abstract in papers]
        archive.writestr("submissions.jsonl", "".join(lines))
        for user_id, documents in archives.items():
            name = quote(emails[user_id].lower(), safe="@+.-_")
            archive.writestr(f"archives/{name}.jsonl", "".join(documents))
        archive.writestr(
            "README.txt",
            README.format(name=conference.name, papers=len(lines), reviewers=len(archives)),
        )
    return buffer.getvalue()


def _line(identifier: str, title: str, abstract: str) -> str:
    content = {"title": title, "abstract": abstract}
    return json.dumps({"id": identifier, "content": content}, ensure_ascii=False) + "\n"

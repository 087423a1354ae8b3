"""Who may export the proceedings.

Any program chair, conflicted with some accepted paper or not: the proceedings hold only what
becomes public once decisions are released (titles, authors, abstracts, outcomes of accepted
papers), never a score, a reviewer or a discussion, so a conflict hides nothing here. PC
members, authors and outsiders get nothing (404 for those who may not see the page).
"""

import rules

from mlsys.conferences.rules import is_chair

#: The proceedings page, its exports and builds (object: the conference).
rules.add_perm("decisions.export_proceedings", is_chair)
#: A built booklet or ZIP (object: the ProceedingsBuild; its conference's chairs).
rules.add_perm("decisions.download_proceedings", is_chair)

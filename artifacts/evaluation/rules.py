"""The evaluation's own permissions, built from artifacts.rules' predicates (object: the
artifact). Registered from ArtifactsConfig.ready. The statuses each action needs are checked
by the services, which say why in a sentence."""

import rules

from artifacts.rules import is_artifact_author, is_live_evaluator, is_unconflicted_manager

#: Write the evaluators' one combined kick-the-tires message to the authors.
rules.add_perm("artifacts.send_kick_message", is_live_evaluator | is_unconflicted_manager)
#: Answer it ("we fixed it, please look again").
rules.add_perm("artifacts.answer_kick_message", is_artifact_author)
#: Read the evaluations of an artifact (the others' ones only once one's own is submitted:
#: artifacts.evaluation.queries.committee_evaluations).
rules.add_perm("artifacts.read_evaluations", is_live_evaluator | is_unconflicted_manager)

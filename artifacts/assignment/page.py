"""This package's section of the artifact page (artifacts/page): what its template
(templates/artifacts/detail/_assignment.html) reads, for this viewer."""


def context(viewer, artifact) -> dict:
    return {}

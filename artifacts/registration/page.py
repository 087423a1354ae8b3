"""This package's section of the artifact page (artifacts/page): the registered facts, the
appendix, the automatic checks and the authors' and chair's actions, for this viewer
(template: templates/artifacts/detail/_registration.html).

The access credentials are never put in the context: holders of
``artifacts.view_access_secret`` get a "Reveal" button (an audited POST)."""

from artifacts.registration import queries, services


def hardware_summary(artifact) -> str:
    """ "2 × A100 · 16 CPU cores · 64 GB RAM" (empty when nothing is declared)."""
    parts = []
    if artifact.gpu_count:
        parts.append(f"{artifact.gpu_count} × {artifact.gpu_model or 'GPU'}")
    if artifact.cpu_cores:
        parts.append(f"{artifact.cpu_cores} CPU cores")
    if artifact.ram_gb:
        parts.append(f"{artifact.ram_gb} GB RAM")
    if artifact.disk_gb:
        parts.append(f"{artifact.disk_gb} GB disk")
    return " · ".join(parts)


def context(viewer, artifact) -> dict:
    badges = queries.requested_badges(artifact)
    can_edit = viewer.has_perm("artifacts.edit_registration", artifact)
    can_submit = viewer.has_perm("artifacts.submit_artifact", artifact)
    return {
        "registration": {
            "badges": badges,
            "hardware": hardware_summary(artifact),
            "can_edit": can_edit,
            "can_submit": can_submit,
            "problems": services.submission_problems(artifact) if can_submit else [],
            "can_withdraw": viewer.has_perm("artifacts.withdraw_artifact", artifact),
            "can_return": viewer.has_perm("artifacts.return_artifact", artifact),
            "can_rerun": viewer.has_perm("artifacts.run_smoke_check", artifact),
            "can_reveal": bool(artifact.access_secret)
            and viewer.has_perm("artifacts.view_access_secret", artifact),
            "has_secret": bool(artifact.access_secret),
            "smoke_checks": queries.smoke_checks(artifact),
            **queries.appendix_context(artifact),
        }
    }

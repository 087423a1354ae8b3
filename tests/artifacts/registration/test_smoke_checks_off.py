"""``ARTIFACT_SMOKE_CHECKS`` off (the demo while it seeds): nothing is fetched, and the check
says in one warning that it did not run."""

from artifacts.registration import smoke


def test_checks_turned_off_fetch_nothing_and_say_so(settings, monkeypatch):
    settings.ARTIFACT_SMOKE_CHECKS = False

    def refuse(*args, **kwargs):
        raise AssertionError("fetched although the checks are off")

    monkeypatch.setattr(smoke, "fetch", refuse)
    results = smoke.run(
        repository_url="https://github.com/mlsys-demo/x", version="v1.0", doi="10.5281/zenodo.1"
    )
    assert results == [{"check": "run", "level": "warning", "message": smoke.NOT_RUN}]

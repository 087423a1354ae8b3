"""The compose stack behind a proxy (issue 13): the proxy settings reach the app.

The compose services get only the variables ``x-app-env`` names (``MLSYS_IGNORE_DOTENV``), so a
``TRUSTED_PROXIES`` set in ``.env`` (as .env.example and docs/deploy.md, "Proxy", say) must be
passed on there. Without it, behind the documented nginx every request comes from one address
(Docker's gateway): allauth's per-address login limits count the whole site as one client (the
rush fault of issue 13) and the proxy's X-Request-Start is ignored, so deadlines judge the time
a busy worker got to the request.
"""

import pytest
import yaml

from tests.core.test_compose import APP_SERVICES, compose_config


@pytest.mark.parametrize("variable", ["TRUSTED_PROXIES", "HEALTHZ_TRUSTED_IPS"])
def test_the_proxy_settings_in_env_reach_every_app_service(tmp_path, variable):
    result = compose_config(tmp_path, "config", **{variable: "172.18.0.1"})
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    for name in APP_SERVICES:
        assert services[name]["environment"].get(variable) == "172.18.0.1", name

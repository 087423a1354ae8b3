import pytest


@pytest.mark.django_db
def test_healthz_reports_database_and_pages_to_the_balancer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["database"]["ok"] is True
    assert body["pages"] == {"ok": True, "template": "base.html"}
    assert "broker" not in body  # shared by every node: not the balancer's business


@pytest.mark.django_db
def test_full_healthz_reports_every_part_to_a_monitor(client):
    response = client.get("/healthz?full=1")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"ok", "database", "pages", "broker", "workers", "checks", "mail"}
    assert all(body[part]["ok"] for part in body if part != "ok")


@pytest.fixture
def database_down(monkeypatch):
    """The health check's database query fails with an error naming the host, port and user
    (sessions and users still load through the real connection)."""

    class Unreachable:
        vendor = "postgresql"

        def cursor(self):
            raise OSError(
                'connection to server at "db.internal" (10.0.0.5), port 5432 failed: '
                'password authentication failed for user "mlsys"'
            )

    monkeypatch.setattr("mlsys.core.health.connection", Unreachable())


@pytest.mark.django_db
def test_healthz_hides_errors_from_an_untrusted_address(client, database_down):
    response = client.get("/healthz", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 503
    assert response.json() == {"ok": False}
    assert b"db.internal" not in response.content


@pytest.mark.django_db
def test_healthz_hides_errors_from_a_proxied_request(client, database_down):
    response = client.get("/healthz", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 503
    assert response.json() == {"ok": False}


@pytest.mark.django_db
def test_healthz_hides_details_from_a_signed_in_non_staff_user(client, author, database_down):
    client.force_login(author)
    response = client.get("/healthz", REMOTE_ADDR="203.0.113.9")
    assert response.json() == {"ok": False}


@pytest.mark.django_db
def test_healthz_shows_errors_to_staff(client, database_down):
    from tests import factories

    client.force_login(factories.UserFactory(is_staff=True))
    response = client.get("/healthz", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 503
    body = response.json()
    assert body["ok"] is False
    assert body["database"]["ok"] is False
    assert "db.internal" in body["database"]["error"]


@pytest.mark.django_db
def test_healthz_shows_errors_to_a_trusted_address(client, settings, database_down):
    settings.HEALTHZ_TRUSTED_IPS = ["10.1.2.3"]
    response = client.get("/healthz", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 503
    assert "db.internal" in response.json()["database"]["error"]
    assert client.get("/healthz").json() == {"ok": False}  # 127.0.0.1 is no longer trusted


@pytest.mark.django_db
def test_healthz_ok_for_anyone_without_details(client):
    response = client.get("/healthz", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    assert response.json() == {"ok": True}

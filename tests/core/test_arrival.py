"""mlsys.core.arrival: X-Request-Start parsed in its three forms, believed only from a trusted
proxy, clamped to the server's clock."""

import datetime as dt

import pytest
from django.test import RequestFactory

from mlsys.core.arrival import ArrivalTimeMiddleware, arrival_time, parse_request_start

NOW = dt.datetime(2026, 12, 6, 12, 0, 0, tzinfo=dt.UTC)
T = NOW.timestamp()


@pytest.mark.parametrize(
    "header",
    [
        f"t={T - 2.5:.3f}",
        f"{T - 2.5:.3f}",
        f"t={int((T - 2.5) * 1000)}",
        f"t={int((T - 2.5) * 1_000_000)}",
    ],
)
def test_request_start_in_seconds_millis_and_micros(header):
    assert parse_request_start(header) == NOW - dt.timedelta(seconds=2.5)


@pytest.mark.parametrize("header", ["", "t=", "t=abc", "yesterday", "t=1e9", "t=-5"])
def test_malformed_request_start_is_none(header):
    assert parse_request_start(header) is None


def request(remote_addr, header):
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, HTTP_X_REQUEST_START=header)


def test_trusted_proxy_time_is_used(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert arrival_time(request("10.1.2.3", f"t={T - 3:.3f}"), NOW) == NOW - dt.timedelta(seconds=3)


def test_untrusted_address_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert arrival_time(request("203.0.113.9", f"t={T - 3:.3f}"), NOW) == NOW


def test_future_time_is_clamped_to_the_server_clock(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    assert arrival_time(request("10.0.0.2", f"t={T + 3600:.3f}"), NOW) == NOW


def test_time_before_the_credible_queue_is_clamped(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    settings.ARRIVAL_MAX_QUEUE_SECONDS = 60
    arrived = arrival_time(request("10.0.0.2", f"t={T - 3600:.3f}"), NOW)
    assert arrived == NOW - dt.timedelta(seconds=60)


def test_middleware_falls_back_to_the_server_time_it_read_first(settings):
    settings.TRUSTED_PROXIES = []
    seen = {}

    def view(req):
        seen["arrived_at"] = req.arrived_at
        return None

    before = dt.datetime.now(dt.UTC)
    ArrivalTimeMiddleware(view)(request("10.0.0.2", f"t={T:.3f}"))
    assert before <= seen["arrived_at"] <= dt.datetime.now(dt.UTC)


def test_middleware_is_first(settings):
    assert settings.MIDDLEWARE[0] == "mlsys.core.arrival.ArrivalTimeMiddleware"

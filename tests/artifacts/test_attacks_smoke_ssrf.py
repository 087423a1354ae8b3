"""Attacks on the smoke checker's address check (issue 12): no request may reach an address
that is not on the public internet, however the address is spelled or resolved."""

import socket

import pytest

from artifacts.registration import smoke


@pytest.fixture(autouse=True)
def _short_timeout(settings):
    settings.ARTIFACT_SMOKE_TIMEOUT = 0.2
    settings.ARTIFACT_SMOKE_REWRITE = {}


@pytest.mark.parametrize(
    "url",
    [
        # Shared address space (RFC 6598): Alibaba Cloud's metadata service lives here.
        "http://100.100.100.200/latest/meta-data/",
        "http://100.64.0.1/",
        # NAT64 (RFC 6052) of 169.254.169.254 and of 127.0.0.1.
        "http://[64:ff9b::a9fe:a9fe]/latest/meta-data/",
        "http://[64:ff9b::7f00:1]/",
        # IPv4-compatible / 6to4 spellings of private addresses.
        "http://[2002:7f00:1::]/",
        "http://[::127.0.0.1]/",
    ],
)
def test_non_global_addresses_are_refused(url):
    answer = smoke.fetch(url)
    assert not answer.ok
    assert "private or reserved address" in answer.message


@pytest.mark.parametrize("address", ["127.0.0.1", "169.254.169.254", "100.100.100.200", "::1"])
def test_a_name_resolving_to_a_non_public_address_is_refused(monkeypatch, address):
    family = socket.AF_INET6 if ":" in address else socket.AF_INET

    def resolve(host, port, *args, **kwargs):
        # A public answer first and a private one second must still be refused.
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (family, socket.SOCK_STREAM, 6, "", (address, port)),
        ]

    monkeypatch.setattr(smoke.socket, "getaddrinfo", resolve)
    answer = smoke.fetch("https://rebind.example/")
    assert not answer.ok
    assert "private or reserved address" in answer.message

import pytest

from tests.smtp_server import running_smtp_server


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback, with Django's SMTP backend pointed at it."""
    with running_smtp_server() as server:
        for name, value in server.django_settings().items():
            setattr(settings, name, value)
        yield server

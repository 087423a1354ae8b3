"""A real SMTP server on loopback for the tests about SMTP itself (aiosmtpd, in a thread).

``SmtpServer.mode`` says how it answers the next message: "accept" (stores it in ``messages``),
"tempfail" (451 to every recipient), "busy" (421 to every recipient, then hangs up), "reject"
(550 to every recipient); ``stop()`` closes the port (connections refused) and ``start()``
opens it again on the same port. ``hanging_port()`` is a port that accepts connections and
never says a word. Django's SMTP backend is pointed at it with ``use_django_backend``.
"""

import socket
from collections.abc import Iterator
from contextlib import contextmanager

from aiosmtpd.controller import Controller

REPLIES = {
    "tempfail": "451 4.3.0 Mailbox temporarily unavailable, try again later",
    "busy": "421 4.7.0 Too busy, closing connection",
    "reject": "550 5.1.1 No such user here",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, server: "SmtpServer") -> None:
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = REPLIES.get(self.server.mode)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.server.messages.append(
            {
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "data": envelope.content.decode("utf-8", errors="replace"),
            }
        )
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.mode = "accept"
        self.messages: list[dict] = []
        self._controller: Controller | None = None

    def start(self) -> None:
        if self._controller is None:
            self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
            self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def subjects(self) -> list[str]:
        return [
            line.removeprefix("Subject: ")
            for message in self.messages
            for line in message["data"].splitlines()
            if line.startswith("Subject: ")
        ]

    def django_settings(self, timeout: float = 5) -> dict:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_TIMEOUT": timeout,
        }


@contextmanager
def running_smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def hanging_port() -> Iterator[int]:
    """A listening port whose connections are never accepted: the kernel completes the TCP
    handshake (the backlog), and the client then waits for a greeting that never comes."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield sock.getsockname()[1]
